#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser test (no test tool downloads its own browser).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "[setup] installing Debian's chromium for the browser test" >&2
$SUDO apt-get update -qq >&2 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
