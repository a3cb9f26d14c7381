#!/usr/bin/env bash
# Makes sure the Debian packages the tests need are present: chromium (the browser the webview and
# code-server tests drive), ripgrep (VS Code's search binary; code-server's own download of it
# cannot run here) and PyTorch for the model recipe's smoke test. Installs what is missing with apt-get when run as root; otherwise fails loudly.
set -euo pipefail

# package → a path it installs. Fonts: without recommends, chromium would render screenshots with
# whatever fonts happen to be there.
declare -A NEED=([chromium]=/usr/bin/chromium [ripgrep]=/usr/bin/rg
  [fonts-liberation]=/usr/share/fonts/truetype/liberation [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu
  # the model recipe's smoke test: Debian's PyTorch and onnx, with OpenBLAS (the reference BLAS is ~17x slower)
  [python3-torch]=/usr/lib/python3/dist-packages/torch [python3-onnx]=/usr/lib/python3/dist-packages/onnx
  [libopenblas0-openmp]=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3)
missing=()
for pkg in "${!NEED[@]}"; do
  [[ -e "${NEED[$pkg]}" ]] || missing+=("$pkg")
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
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  [[ -e "${NEED[$pkg]}" ]] || { echo "[ensure-system-deps] ERROR: $pkg installed but ${NEED[$pkg]} is missing" >&2; exit 1; }
done
echo "[ensure-system-deps] installed: ${missing[*]}" >&2
