#!/usr/bin/env bash
# A CJK font for the PDFs the server writes (dunning letters, evidence packs) and for Chinese screenshots:
# Debian's WenQuanYi Micro Hei (1.6 MB, Apache-2.0/GPL-3 with font exception). The server looks for it at
# LETTER_FONT, else PDF_CJK_FONT, else /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (server/pdf/pdf.ts).
set -euo pipefail
font=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ -f "$font" ]; then echo "[fonts] $font present"; exit 0; fi
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends fonts-wqy-microhei >/dev/null; }
echo "[fonts] installed $font"
