#!/usr/bin/env bash
# `npm run start`, the main job: builds the extension and opens the sample folder (prose with
# pronouns, TypeScript, Python) in a real VS Code with Attention Lens loaded from this checkout.
#   - the desktop `code`, when installed: code --extensionDevelopmentPath=<repo> <sample folder>
#   - otherwise code-server 4.100.3 (VS Code 1.100.3) on 127.0.0.1, with the URL to open printed;
#     it runs until Ctrl-C.
# Environment: PORT (default: the first free port from 8080), ATTENTION_LENS_CODE_SERVER=1 to use
# code-server even where `code` is installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export ONNXRUNTIME_NODE_INSTALL=skip
STATE="$ROOT/.cache/start"
SAMPLE="$ROOT/.cache/sample"

log() { echo "[start] $*" >&2; }

if [[ ! -d node_modules ]]; then
  log "installing dependencies (npm ci)"
  npm ci --ignore-scripts --no-audit --no-fund  # as scripts/test-all.sh does, for the same reason
fi
log "building"
npm run --silent build

# The sample folder is a copy, so trying things out never edits the committed samples/; files
# already there (perhaps edited) are kept, new ones are added.
mkdir -p "$SAMPLE"
cp -rn "$ROOT/samples/." "$SAMPLE/"

HOWTO="Open story.md, put the cursor on \"it\" in the first sentence and run \"Attention Lens: Explain attention here\"
(F1, or Ctrl+Alt+E); or select the distance() function in shapes.ts and run \"Attention Lens: Show attention for selection\"."

# The desktop VS Code, but not the `code` shim a code-server terminal puts on PATH.
if [[ -z "${ATTENTION_LENS_CODE_SERVER:-}" && -z "${VSCODE_IPC_HOOK_CLI:-}" ]] && command -v code >/dev/null 2>&1; then
  log "opening the desktop VS Code"
  code --extensionDevelopmentPath="$ROOT" "$SAMPLE"
  echo "$HOWTO"
  exit 0
fi

# code-server needs Debian's ripgrep (its own postinstall would download one); on a fresh machine, as
# root, install it here so that this one command is enough
if ! command -v rg >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  log "installing ripgrep (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep >/dev/null; }
fi
ENTRY="$(bash "$ROOT/scripts/install-code-server.sh" | tail -1)"

port="${PORT:-}"
if [[ -z "$port" ]]; then
  port="$(node -e '
    const net = require("net");
    const tryPort = (p) => { const s = net.createServer(); s.once("error", () => tryPort(p + 1));
      s.listen(p, "127.0.0.1", () => s.close(() => console.log(p))); };
    tryPort(8080);')"
fi

mkdir -p "$STATE/user-data/User" "$STATE/extensions" "$STATE/xdg-config" "$STATE/xdg-data"
if [[ ! -f "$STATE/user-data/User/settings.json" ]]; then
  # A first start without the welcome page over the sample files.
  echo '{ "workbench.startupEditor": "none" }' > "$STATE/user-data/User/settings.json"
fi

payload="$(node -e 'console.log(encodeURIComponent(JSON.stringify([["extensionDevelopmentPath", process.argv[1]]])))' "vscode-remote://127.0.0.1:$port$ROOT")"
URL="http://127.0.0.1:$port/?folder=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$SAMPLE")&payload=$payload"

# Its own process group, so Ctrl-C also ends the extension hosts it starts.
XDG_CONFIG_HOME="$STATE/xdg-config" XDG_DATA_HOME="$STATE/xdg-data" setsid node "$ENTRY" \
  --bind-addr "127.0.0.1:$port" --auth none \
  --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  > "$STATE/code-server.log" 2>&1 &
SERVER=$!
stop() { kill -TERM -- "-$SERVER" 2>/dev/null || true; }
trap 'stop; exit 130' INT TERM
trap stop EXIT

healthy() {
  node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz"
}
for _ in $(seq 1 120); do
  if healthy; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    log "ERROR: code-server exited; its log:"; cat "$STATE/code-server.log" >&2; exit 1
  fi
  sleep 0.5
done
healthy || { log "ERROR: code-server did not start; see $STATE/code-server.log"; exit 1; }

cat <<MSG

  Attention Lens is running in VS Code (code-server, log: .cache/start/code-server.log).
  Open this URL in a browser on this machine (the extension is loaded from $ROOT):

    $URL

  $HOWTO
  Press Ctrl-C to stop.

MSG
wait "$SERVER"
