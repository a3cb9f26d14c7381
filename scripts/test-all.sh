#!/usr/bin/env bash
# `npm test`: everything, from a clean clone on a fresh Debian machine with Node 20.
#   system packages (apt-get, as root) → npm ci when node_modules is missing or stale → build →
#   compile tests → unit, browser, model, VS Code (code-server; WebGPU pass, WASM pass, untrusted-workspace pass, web pass).
# A part that cannot run, or runs no test, counts as failed; so does a skipped test.
# Prints each part's counts and time, then one line: `N passed, N failed`. Exits 1 if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export ONNXRUNTIME_NODE_INSTALL=skip   # its install script downloads from GitHub; the CPU binaries ship in the package
export CI="${CI:-true}"                 # no prompts (npx, npm)

COUNTS="$(mktemp -d)"
trap 'rm -rf "$COUNTS"' EXIT
PASSED=0
FAILED=0
SUMMARY=()
T_ALL=$SECONDS

say() { echo -e "\n=== $* ===" >&2; }

# Adds a part's counts (JSON {passed, failed, pending?}) to the totals; a missing file is a failure.
tally() {
  local part="$1" file="$2" secs="$3" rc="$4"
  local p=0 f=1 pend=0 note=""
  if [[ -s "$file" ]]; then
    read -r p f pend < <(node -e 'const c=require(process.argv[1]); console.log(c.passed|0, c.failed|0, c.pending|0)' "$file")
    f=$((f + pend))
    [[ $pend -gt 0 ]] && note=" ($pend skipped, counted as failed)"
    if [[ $((p + f)) -eq 0 ]]; then f=1; note=" (no tests ran)"; fi
    if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; note=" (exit code $rc with no failing test)"; fi
  else
    note=" (could not run: exit code $rc, no counts)"
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  SUMMARY+=("$(printf '%-8s %4d passed, %d failed in %d s%s' "$part" "$p" "$f" "$secs" "$note")")
}

# A setup step that fails fails the run: nothing after it can be trusted.
setup() {
  local what="$1"; shift
  say "$what"
  local t0=$SECONDS
  if ! "$@"; then
    echo "[test-all] ERROR: $what failed" >&2
    SUMMARY+=("setup: $what FAILED")
    FAILED=$((FAILED + 1))
    finish
  fi
  SUMMARY+=("$(printf 'setup    %s in %d s' "$what" $((SECONDS - t0)))")
}

finish() {
  echo >&2
  printf '%s\n' "${SUMMARY[@]}" >&2
  echo "total $((SECONDS - T_ALL)) s" >&2
  echo "$PASSED passed, $FAILED failed"
  [[ $FAILED -eq 0 && $PASSED -gt 0 ]] && exit 0 || exit 1
}

lock_hash() { sha256sum package-lock.json | cut -c1-32; }
npm_ci_if_needed() {
  local stamp=node_modules/.attention-lens-lock
  if [[ -d node_modules && -f "$stamp" && "$(cat "$stamp")" == "$(lock_hash)" ]]; then
    echo "node_modules matches package-lock.json" >&2
    return 0
  fi
  # --ignore-scripts: what npm 11 does by default here; on npm 10 it keeps @vscode/vsce-sign and
  # onnxruntime-node from downloading at install time (nothing needs their scripts to run).
  npm ci --ignore-scripts --no-audit --no-fund && lock_hash > "$stamp"
}

run_mocha() {
  local part="$1" dir="$2" timeout="$3"
  say "$part tests"
  local files
  files=$(find "$dir" -name '*.test.js' 2>/dev/null | sort)
  if [[ -z "$files" ]]; then
    echo "[test-all] ERROR: no $part tests in $dir" >&2
    tally "$part" /dev/null 0 1
    return
  fi
  local t0=$SECONDS rc=0
  # shellcheck disable=SC2086
  TEST_COUNTS_FILE="$COUNTS/$part.json" node_modules/.bin/mocha --timeout "$timeout" \
    --reporter "$ROOT/out/test/support/countingReporter.js" $files || rc=$?
  tally "$part" "$COUNTS/$part.json" $((SECONDS - t0)) "$rc"
}

setup "system packages" bash scripts/ensure-system-deps.sh
setup "npm ci" npm_ci_if_needed
setup "build" npm run --silent build
# Fresh: a compiled test whose source was deleted must not run.
setup "compile tests" bash -c 'rm -rf out/test && npm run --silent compile-tests'
setup "code-server" bash scripts/install-code-server.sh

run_mocha unit out/test/unit 10000
run_mocha browser out/test/browser 300000
run_mocha model out/test/model 300000

say "VS Code tests (code-server in Chromium: WebGPU pass, WASM pass, an untrusted workspace, then the browser worker host)"
t0=$SECONDS
rc=0
node out/test/vscode/runTests.js --counts "$COUNTS/vscode.json" || rc=$?
tally vscode "$COUNTS/vscode.json" $((SECONDS - t0)) "$rc"

finish
