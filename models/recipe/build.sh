#!/usr/bin/env bash
# Rebuilds a bundled model from packages: corpus → labelled generated text → tokenizer → labelled rows →
# training with the auxiliary head losses → ONNX export (fp16 weights, int8 embedding) → checks → probes → model card.
# One command runs one training session:
#   bash models/recipe/build.sh --architecture causal --init DIR --minutes 35         # a decoder session from DIR's weights
#   bash models/recipe/build.sh --architecture bidirectional --init DIR --minutes 55  # an encoder from the decoder in DIR
#   bash models/recipe/build.sh --tiny --architecture bidirectional --out DIR         # the smoke test's size
# Options: --minutes N (training budget), --resume (continue WORK's checkpoint), --work DIR, --out DIR,
# --init DIR (start from a model folder's weights; a causal model keeps its tokenizer, an encoder maps them to
# its own vocabulary), --threads N, --tokenizer FILE (encode with this tokenizer instead of training one, as a
# reproduction of a shipped model must), --prepare-only (stop once the data is ready: reproduce.sh trains it in
# the recorded sessions itself). Without --init the model trains from random weights.
# The shipped weights came from several sessions, not this one command: reproduce.sh replays them, and
# models/README.md ("Reproducing the shipped models") lists each step and what is manual.
# A GPU machine: prepare here, then gpu_train.sh (see models/README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arch=causal; work=""; out=""; minutes=35; tiny=(); resume=""; init=""; config=default; threads=2; tokenizer=""; prepare_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --architecture) arch="$2"; shift ;;
    --tiny) tiny=(--tiny); minutes=0.2; config=tiny ;;
    --minutes) minutes="$2"; shift ;;
    --work) work="$2"; shift ;;
    --out) out="$2"; shift ;;
    --init) init="$(cd "$2" && pwd)"; shift ;;
    --threads) threads="$2"; shift ;;
    --resume) resume=--resume ;;
    --tokenizer) tokenizer="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    --prepare-only) prepare_only=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$arch" in causal|bidirectional) ;; *) echo "--architecture is causal or bidirectional, not $arch" >&2; exit 2 ;; esac
[ "$arch" = bidirectional ] && [ "$config" = default ] && config=encoder
work="${work:-$here/work}"
out="${out:-$root/models/$([ "$arch" = causal ] && echo default || echo encoder)}"
name="attention-lens-$([ "$arch" = causal ] && echo default || echo encoder)"
PY=/usr/bin/python3  # Debian's python3-torch lives there, not in the python3 first on PATH
if ! $PY -c 'import torch, onnx' 2>/dev/null; then
  echo "needs Debian's python3-torch, python3-onnx and libopenblas0-openmp: apt-get install -y python3-torch python3-onnx libopenblas0-openmp" >&2
  exit 1
fi
data="$work/data-$arch"; run="$work/run-$arch"
mkdir -p "$work" "$out" "$data" "$run"
export NODE_PATH="$root/node_modules"
export RECIPE_DOWNLOADS="${RECIPE_DOWNLOADS:-$work/downloads}"
step() { echo "== $1 ($(date +%T))" >&2; }
n_agree=150000; n_wino=80000
[ ${#tiny[@]} -gt 0 ] && n_agree=1500 && n_wino=800
[ -f "$work/corpus/SOURCES.json" ] || { step corpus; $PY "$here/gather_corpus.py" --work "$work" "${tiny[@]}"; }
[ -f "$work/aux/agree.jsonl" ] || { step "generated text"; $PY "$here/make_aux_text.py" --work "$work" --agree $n_agree --wino $n_wino; }
ln -sfn ../corpus "$data/corpus"
step tokenizer
if [ -n "$tokenizer" ]; then   # a given vocabulary (a shipped model's), kept
  cp "$tokenizer" "$data/tokenizer.json"
  node "$here/tokenize_corpus.js" "$data" 0 --keep-tokenizer
elif [ "$arch" = causal ] && [ -n "$init" ]; then   # a fine-tuned decoder keeps its vocabulary
  cp "$init/tokenizer.json" "$data/tokenizer.json"
  node "$here/tokenize_corpus.js" "$data" 0 --keep-tokenizer
elif [ "$arch" = causal ]; then
  node "$here/tokenize_corpus.js" "$data" "$([ ${#tiny[@]} -gt 0 ] && echo 1024 || echo 8192)" ${resume:+--keep-tokenizer}
else
  node "$here/tokenize_corpus.js" "$data" "$([ ${#tiny[@]} -gt 0 ] && echo 1024 || echo 16384)" --prose-weight 3 --mask ${resume:+--keep-tokenizer}
fi
node "$here/word_share.js" "$data/tokenizer.json" "$work/corpus/train_prose.txt" 5000 > "$data/word_share.json"
T=$($PY -c "import sys; sys.path.insert(0, '$here'); from model import CONFIGS; print(CONFIGS['$config']['max_tokens'])")
step "labelled rows"
node "$here/aux_encode.js" text "$data/tokenizer.json" "$work/aux/agree.jsonl" 128 "$data/agree"
[ "$arch" = bidirectional ] && node "$here/aux_encode.js" text "$data/tokenizer.json" "$work/aux/wino.jsonl" 128 "$data/wino"
node "$here/aux_encode.js" code "$data/tokenizer.json" "$work/corpus/train_code.txt" "$T" "$data/code"
initargs=()
if [ -n "$init" ]; then
  initargs=(--init "$init")
  if [ "$arch" = bidirectional ]; then
    node "$here/vocab_map.js" "$data/tokenizer.json" "$init/tokenizer.json" "$data/vocab_map.json"
    initargs+=(--vocab-map "$data/vocab_map.json")
  fi
fi
if [ -n "$prepare_only" ]; then step "data ready in $data"; exit 0; fi
step train
lr=$([ -n "$init" ] && echo 5e-4 || echo 1e-3)
mix=()
# the encoder from a decoder whose heads are trained: a low rate keeps what the decoder knew of words, and few
# Winograd-style rows keep the head on gender and number (its card has the runs that showed both)
if [ "$arch" = bidirectional ]; then
  mix=(--prose 4 --code 3 --synth 12 --wino 2)
  [ -z "$init" ] || lr=1.5e-4
fi
heads='{"pronoun": [3, 5], "code": [3, 1]}'
[ "$config" = tiny ] && heads='{"pronoun": [1, 0], "code": [1, 1]}'
(cd "$here" && OMP_NUM_THREADS=$threads $PY train_aux.py --work "$run" --data "$data" --architecture "$arch" --config "$config" \
  --minutes "$minutes" --lr "$lr" --threads "$threads" --heads "$heads" "${mix[@]}" "${initargs[@]}" $resume)
step export;   (cd "$here" && $PY export.py --work "$run" --out "$out" --name "$name" --fp16 --int8-embedding)
cp "$data/tokenizer.json" "$out/tokenizer.json"
step check;    node "$here/check_export.js" "$run" "$out"
step probes;   $PY "$here/make_probes.py"
step evaluate; node "$here/evaluate.js" "$run" "$out" "$data/ids"
step card;     node "$here/write_card.js" "$run" "$out" "$data" "$work/corpus" "$work/aux"
step done
