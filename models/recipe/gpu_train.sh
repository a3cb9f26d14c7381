#!/usr/bin/env bash
# The GPU path in one call: carries the prepared token ids to a lent GPU machine, trains there for at most
# 9 minutes with train_aux.py (CUDA when present; same losses, same labels), and brings the checkpoint back
# into WORK, where export.py, check_export.js, evaluate.js and write_card.js run as on the CPU path.
#
#   bash models/recipe/gpu_train.sh --data DATA --work WORK --architecture bidirectional [--config large]
#        [--minutes 9] [--init models/default --vocab-map DATA/vocab_map.json] [--resume]
#
# DATA is what build.sh prepared (tokenizer.json, ids/, agree.*, wino.*, code.*): on the device nothing can be
# downloaded, so only these files and the recipe's Python travel. It runs in two halves so that the device
# command itself stays one short script:
#   1. here:      pack DATA (and --init's model.onnx) into models/recipe/gpu/carry/bundle.tgz (ignored by git;
#                 about 31 MB for the encoder's data, under the 64 MiB a device call carries)
#   2. on device: `bash models/recipe/gpu_train.sh --on-device` (the project's `run` tool with
#                 carry=["models/recipe/gpu/carry"]), which writes the checkpoint to $OUT
#   3. here:      `bash models/recipe/gpu_train.sh --bring-back FILES_AT --work WORK` copies it into WORK
# (the device machine has PyTorch 2.x, onnx and onnxruntime; nothing else is needed there.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
carry="$here/gpu/carry"
stage="${TMPDIR:-/tmp}/attention-lens-gpu"  # unpacked data; the carry holds one compressed bundle
mode=pack; data=""; work=""; arch=bidirectional; config=large; minutes=9; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --on-device) mode=device ;;
    --bring-back) mode=back; from="$2"; shift ;;
    --data) data="$2"; shift ;;
    --work) work="$2"; shift ;;
    --architecture) arch="$2"; shift ;;
    --config) config="$2"; shift ;;
    --minutes) minutes="$2"; shift ;;
    --init|--vocab-map|--heads) extra+=("$1" "$2"); shift ;;
    --resume) extra+=(--resume) ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if awk "BEGIN{exit !($minutes > 9)}"; then echo "a GPU run is at most 9 minutes (--minutes $minutes)" >&2; exit 2; fi

case "$mode" in
pack)
  [ -d "$data" ] || { echo "--data DIR (prepared by build.sh) is required" >&2; exit 2; }
  rm -rf "$carry" "$stage"; mkdir -p "$carry" "$stage/data/ids" "$stage/work"
  cp "$data"/tokenizer.json "$data"/*.ids "$data"/*.labels "$data"/*.protect "$stage/data/"
  cp "$data"/ids/train_prose.bin "$data"/ids/val_prose.bin "$data"/ids/val_code.bin "$stage/data/ids/"
  [ -f "$data/vocab_map.json" ] && cp "$data/vocab_map.json" "$stage/data/"
  for e in "${extra[@]}"; do [ -d "$e" ] && mkdir -p "$stage/init" && cp "$e/model.onnx" "$stage/init/"; done
  [ -n "$work" ] && [ -f "$work/ckpt.pt" ] && cp "$work/ckpt.pt" "$stage/work/"
  printf '%s\n' "$arch" "$config" "$minutes" "${extra[@]}" > "$stage/args"
  tar czf "$carry/bundle.tgz" -C "$stage" . && rm -rf "$stage"
  du -sh "$carry/bundle.tgz" >&2
  echo "now run on the device: bash models/recipe/gpu_train.sh --on-device   (carry models/recipe/gpu/carry)" >&2 ;;
device)
  rm -rf "$stage"; mkdir -p "$stage"; tar xzf "$carry/bundle.tgz" -C "$stage"
  mapfile -t args < "$stage/args"
  rest=()
  for ((i = 3; i < ${#args[@]}; i++)); do
    a="${args[$i]}"
    case "$a" in --vocab-map) rest+=("$a" "$stage/data/vocab_map.json"); i=$((i + 1)) ;;
      --init) rest+=("$a" "$stage/init"); i=$((i + 1)) ;; *) rest+=("$a") ;; esac
  done
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  # 9 minutes of training plus start-up and the final evaluation: the command's own limit is 10
  timeout 590 python3 "$here/train_aux.py" --work "$stage/work" --data "$stage/data" --architecture "${args[0]}" \
    --config "${args[1]}" --minutes "${args[2]}" --prose 16 --code 16 --synth 128 "${rest[@]}" | tail -40 \
    || echo "train_aux.py stopped at the time limit; its last checkpoint comes back" >&2
  cp "$stage/work/ckpt.pt" "${OUT:?the device run sets OUT}/ckpt.pt" ;;
back)
  [ -n "$work" ] || { echo "--work WORK is required" >&2; exit 2; }
  mkdir -p "$work"; cp "$from/ckpt.pt" "$work/ckpt.pt"
  echo "checkpoint in $work/ckpt.pt: export with export.py --work $work --out DIR --fp16" >&2 ;;
esac
