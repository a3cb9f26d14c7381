#!/usr/bin/env bash
# Installs code-server (a real VS Code: 1.100.3 in 4.100.3) from the npm registry into an ignored
# cache folder. Its own postinstall downloads ripgrep from GitHub and cannot run here, so this does
# what that script does, step by step, with Debian's ripgrep. A stamp file makes a second run instant.
#
# The cache lives outside the repository on purpose: the repository is the extension under
# development, and with code-server inside it (say in .cache/) VS Code never applies its built-in
# extensions' contributions (themes and icons stay unset: measured). CODE_SERVER_PREFIX overrides it.
#
# Usage: scripts/install-code-server.sh        prints the path of the code-server launcher last
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${CODE_SERVER_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/attention-lens/code-server-$VERSION}"
case "$PREFIX/" in
  "$ROOT"/*) echo "[install-code-server] ERROR: $PREFIX is inside the extension's folder $ROOT; VS Code then fails to load its built-in themes" >&2; exit 1 ;;
esac
PKG="$PREFIX/node_modules/code-server"
BIN="$PKG/out/node/entry.js"
# The stamp holds the version and a hash of this script, so editing the recipe reinstalls.
STAMP_WANT="$VERSION $(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
STAMP="$PREFIX/.installed"

log() { echo "[install-code-server] $*" >&2; }
die() { echo "[install-code-server] ERROR: $*" >&2; exit 1; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_WANT" && -f "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" == 20 ]] || die "code-server $VERSION needs Node 20, this is Node $(node --version)"
RG="$(command -v rg || true)"
[[ -n "$RG" ]] || die "ripgrep (rg) is missing: run scripts/ensure-system-deps.sh or apt-get install ripgrep"

# Native rebuilds are the slow part; keep them to one job and low priority (the machine is shared).
export JOBS=1 npm_config_jobs=1
NICE=(nice -n 10)
NPM_QUIET=(--no-audit --no-fund --loglevel=error)

t0=$SECONDS
log "installing code-server@$VERSION into $PREFIX"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# --ignore-scripts: the package's postinstall would run a nested install that downloads ripgrep.
"${NICE[@]}" npm install --prefix "$PREFIX" --ignore-scripts --save-exact "${NPM_QUIET[@]}" "code-server@$VERSION" \
  || die "npm install code-server@$VERSION failed"
[[ -d "$PKG/lib/vscode" ]] || die "unexpected package layout: $PKG/lib/vscode missing"

log "building argon2 (password hashing; loaded at start even with --auth none)"
# argon2 is hoisted to the prefix; build from source (its prebuilt binaries come from GitHub).
# Retried once: its node-gyp build failed here once with its build folder gone mid-compile.
build_argon2() { (cd "$PREFIX" && rm -rf node_modules/argon2/build node_modules/argon2/build-tmp-* \
  && npm_config_build_from_source=true "${NICE[@]}" npm rebuild argon2 "${NPM_QUIET[@]}"); }
build_argon2 || { log "argon2 build failed; trying once more"; build_argon2; } || die "argon2 rebuild failed"
(cd "$PKG" && node -e "require('argon2')") || die "argon2 does not load"

log "installing VS Code's own dependencies"
(cd "$PKG/lib/vscode" && "${NICE[@]}" npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}") \
  || die "npm install in lib/vscode failed"
log "building VS Code's native modules"
# node-pty's install script calls `npx node-gyp`, which without a terminal (CI) refuses to fetch
# node-gyp unless told yes.
(cd "$PKG/lib/vscode" && npm_config_yes=true "${NICE[@]}" npm rebuild @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty "${NPM_QUIET[@]}") \
  || die "native module rebuild in lib/vscode failed"

# Search (and extensions that look for it) expects the ripgrep binary at this path.
RG_DIR="$PKG/lib/vscode/node_modules/@vscode/ripgrep/bin"
mkdir -p "$RG_DIR"
ln -sfn "$RG" "$RG_DIR/rg"

# What code-server's postinstall does after its install: VS Code looks into node_modules.asar.
(cd "$PKG/lib/vscode" && ln -sfn node_modules node_modules.asar)
(cd "$PKG/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$PKG/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)

log "installing the built-in extensions' dependencies"
(cd "$PKG/lib/vscode/extensions" && "${NICE[@]}" npm install --omit=dev "${NPM_QUIET[@]}") \
  || die "npm install in lib/vscode/extensions failed"

# Prove the install: every native module loads, and the server prints its version.
for m in @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty; do
  (cd "$PKG/lib/vscode" && node -e "require('$m')") || die "native module $m does not load"
done
# (XDG dirs in a temp folder: code-server writes a default config on every start.)
xdg="$(mktemp -d)"
version_out="$(XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" node "$BIN" --version 2>&1 || true)"
rm -rf "$xdg"
grep -q "^$VERSION " <<<"$version_out" || die "code-server --version printed: $version_out"
version_out="$(grep "^$VERSION " <<<"$version_out")"

echo "$STAMP_WANT" > "$STAMP"
log "done in $((SECONDS - t0)) s: $version_out"
echo "$BIN"
