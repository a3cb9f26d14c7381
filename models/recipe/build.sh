#!/usr/bin/env bash
# Rebuilds the bundled model from packages: corpus → tokenizer → training → ONNX export → checks →
# probes → model card. One command:
#   bash models/recipe/build.sh                  # the default model, ~2 h of CPU training
#   bash models/recipe/build.sh --tiny --out DIR # the smoke test's size, under 2 minutes
# Options: --minutes N (training budget), --resume (continue WORK's checkpoint), --work DIR, --out DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"; out="$root/models/default"; config=default; minutes=125; vocab=8192; tiny=(); resume=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tiny) config=tiny; minutes=0.3; vocab=1024; tiny=(--tiny) ;;
    --minutes) minutes="$2"; shift ;;
    --work) work="$2"; shift ;;
    --out) out="$2"; shift ;;
    --resume) resume=--resume ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
PY=/usr/bin/python3  # Debian's python3-torch lives there, not in the python3 first on PATH
if ! $PY -c 'import torch, onnx' 2>/dev/null; then
  echo "needs Debian's python3-torch, python3-onnx and libopenblas0-openmp: apt-get install -y python3-torch python3-onnx libopenblas0-openmp" >&2
  exit 1
fi
mkdir -p "$work" "$out"
export NODE_PATH="$root/node_modules"
step() { echo "== $1 ($(date +%T))" >&2; }
step corpus;    $PY "$here/gather_corpus.py" --work "$work" "${tiny[@]}"
step tokenizer; node "$here/tokenize_corpus.js" "$work" "$vocab" ${resume:+--keep-tokenizer}
step train;     (cd "$here" && $PY train.py --work "$work" --config "$config" --minutes "$minutes" $resume)
step export;    (cd "$here" && $PY export.py --work "$work" --out "$out")
step check;     node "$here/check_export.js" "$work" "$out"
step probes;    $PY "$here/make_probes.py"
step evaluate;  node "$here/evaluate.js" "$work" "$out"
step card;      node "$here/write_card.js" "$work" "$out"
step done
