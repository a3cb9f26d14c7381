#!/usr/bin/env bash
# Makes sure the Debian packages `npm test` needs are present, for CI on a fresh Debian machine:
#   chromium, fonts    the browser the webview and VS Code tests drive (fonts: screenshots are read)
#   ripgrep            VS Code's search binary (code-server's own download of it cannot run here)
#   python3-torch, python3-onnx, libopenblas0-openmp
#                      the model recipe's smoke test (test/model) trains and exports a tiny model
# Installs what is missing with apt-get (non-interactive) when run as root; otherwise fails loudly.
set -euo pipefail

# package → a command that succeeds when it is installed and usable
declare -A CHECK=(
  [chromium]='test -x /usr/bin/chromium'
  [ripgrep]='test -x /usr/bin/rg'
  [fonts-liberation]='test -d /usr/share/fonts/truetype/liberation'
  [fonts-dejavu-core]='test -d /usr/share/fonts/truetype/dejavu'
  [python3-torch]='/usr/bin/python3 -c "import torch"'
  [python3-onnx]='/usr/bin/python3 -c "import onnx"'
  [libopenblas0-openmp]='dpkg -s libopenblas0-openmp'
)

missing=()
for pkg in "${!CHECK[@]}"; do
  bash -c "${CHECK[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "[ensure-system-deps] missing: ${missing[*]}" >&2
if [[ "$(id -u)" != 0 ]]; then
  echo "[ensure-system-deps] ERROR: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  bash -c "${CHECK[$pkg]}" >/dev/null 2>&1 || { echo "[ensure-system-deps] ERROR: $pkg installed but not usable (${CHECK[$pkg]})" >&2; exit 1; }
done
echo "[ensure-system-deps] installed ${missing[*]} in $((SECONDS - t0)) s" >&2
