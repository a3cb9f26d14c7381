#!/usr/bin/env bash
# Replays how the two shipped models were trained, session by session, as their cards and the git history record it
# (models/README.md, "Reproducing the shipped models", lists each step, its inputs and what stays manual):
#   decoder: from the next-token model of commit 66c631b, the auxiliary-loss run in seven parts (each stops at the
#            step where the original was resumed, and the next resumes it with that part's mix, rate, threads and
#            data), then the mean of three checkpoints of the last session (average.py), exported fp16 + int8
#   encoder: from the decoder at step 2,712 (its second session's end), masked-LM + auxiliary losses, the
#            checkpoint of step 157 exported
# Each session's learning rate follows a clock of its recorded average pace (train_aux.py --seconds-per-step), not
# this machine's wall clock, so the schedule falls on the same steps wherever it runs and two runs agree.
#   bash models/recipe/reproduce.sh [all|decoder|encoder] [--work DIR] [--out DIR] [--encoder-init git|DIR]
#   bash models/recipe/reproduce.sh --tiny --pretrained DIR --encoder-tokenizer FILE ...   # the smoke test's size
# --pretrained DIR: the model the decoder starts from (default: models/default of commit 66c631b, from git)
# --encoder-init DIR|git: the encoder's start (default: this reproduction's decoder at step 2,712, exported at full
#   precision as the card says; `git`: that checkpoint as shipped in commit 7bfe0be, fp16 with an int8 embedding)
# --encoder-tokenizer FILE: the encoder's vocabulary (default: the shipped models/encoder/tokenizer.json)
# --compare-decoder DIR, --compare-encoder DIR: the folders compare_models.py measures the result against
#   (default: the shipped models/default and models/encoder); --expect-identical: fail unless byte-identical
# Full size: about 5 hours of training on one CPU thread for the decoder, 5 minutes for the encoder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
what=all; tiny=""; work=""; out=""; pretrained=""; enc_init=""; enc_tok=""; cmp_dec=""; cmp_enc=""; expect=()
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
while [ $# -gt 0 ]; do
  case "$1" in
    all|decoder|encoder) what="$1" ;;
    --tiny) tiny=1 ;;
    --work) work="$2"; shift ;;
    --out) out="$2"; shift ;;
    --pretrained) pretrained="$(abs "$2")"; shift ;;
    --encoder-init) enc_init="$2"; [ "$2" = git ] || enc_init="$(abs "$2")"; shift ;;
    --encoder-tokenizer) enc_tok="$(abs "$2")"; shift ;;
    --compare-decoder) cmp_dec="$(abs "$2")"; shift ;;
    --compare-encoder) cmp_enc="$(abs "$2")"; shift ;;
    --expect-identical) expect=(--expect-identical) ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
PY=/usr/bin/python3  # Debian's python3-torch lives there
work="${work:-$here/work/reproduce}"; mkdir -p "$work"; work="$(cd "$work" && pwd)"
out="${out:-$work/models}"; mkdir -p "$out"; out="$(cd "$out" && pwd)"
export NODE_PATH="$root/node_modules"
export RECIPE_DOWNLOADS="${RECIPE_DOWNLOADS:-$here/work/downloads}"
step() { echo "== reproduce: $1 ($(date +%T))" >&2; }
# a model folder as committed at a commit (the shipped weights the steps start from are in the history)
from_git() {  # COMMIT MODEL DIR
  git -C "$root" cat-file -e "$1:models/$2/model.onnx" 2>/dev/null \
    || { echo "needs the git history with commit $1 (a full clone), or give the folder yourself" >&2; exit 1; }
  mkdir -p "$3"
  for f in model.onnx tokenizer.json config.json; do git -C "$root" show "$1:models/$2/$f" > "$3/$f"; done
}

# ---- the record (steps are train_aux.py's step counts, as the checkpoints' state holds them) --------------------
if [ -z "$tiny" ]; then
  size=(); config=default; enc_config=encoder; heads='{"pronoun": [3, 5], "code": [3, 1]}'; n_agree=150000; n_wino=80000
  # resumes of the first session, its end; the second session's resumes, its end; the third session's end
  A=293; B=673; C=861; D=921; E=1458; F=2712; G=4372
  AVG=(4182 4322 4372)  # the third session's checkpoints of 19:57 and 20:07 (steps estimated, see README) and its end
  ENC=157               # the encoder's checkpoint that ships
else  # the same sequence at the smoke test's size: the same parts, a few steps each
  size=(--tiny); config=tiny; enc_config=tiny; heads='{"pronoun": [1, 0], "code": [1, 1]}'; n_agree=1500; n_wino=800
  A=3; B=6; C=8; D=9; E=12; F=15; G=20
  AVG=(16 18 20)
  ENC=3
fi
# budgets (minutes) each session added to the schedule, and the clock: a session's minutes over its steps
M1=67; M2=110; M3=120; MENC=55
pace1=$($PY -c "print($M1 * 60 / $C)"); pace2=$($PY -c "print($M2 * 60 / ($F - $C))")
pace3=$($PY -c "print($M3 * 60 / ($G - $F))"); pace_enc=$($PY -c "print(300 / $ENC)")  # the encoder: step 157 at 5.0 minutes

train() {  # RUN DATA ARCH STOP THREADS CLOCK [train_aux.py options]
  local run="$1" data="$2" arch="$3" stop="$4" threads="$5" clock="$6"; shift 6
  step "train $arch to step $stop ($*)"
  (cd "$here" && OMP_NUM_THREADS=$threads $PY train_aux.py --work "$run" --data "$data" --architecture "$arch" \
    --config "${CONFIG:-$config}" --heads "$heads" --threads "$threads" --seconds-per-step "$clock" --stop-step "$stop" "$@" \
    | tee -a "$run.log" | awk '!/^step / || $2 % 100 == 0')  # every line in RUN.log; here every 100th step
}
# a data folder: the prepared token ids and tokenizer, with the generated passages' and the code's rows of one version
variant() {  # NAME BASE AGREE_PREFIX CODE_PREFIX
  local d="$work/$1"; rm -rf "$d"; mkdir -p "$d"
  ln -s "$2/tokenizer.json" "$d/tokenizer.json"; ln -s "$2/ids" "$d/ids"
  ln -s "$2/word_share.json" "$d/word_share.json"
  for e in ids protect labels; do ln -s "$3.$e" "$d/agree.$e"; ln -s "$4.$e" "$d/code.$e"; done
  echo "$d"
}
finish() {  # RUN OUT NAME DATA COMPARE [export.py options]
  local run="$1" o="$2" name="$3" data="$4" cmp="$5"; shift 5
  step "export $name"
  (cd "$here" && $PY export.py --work "$run" --out "$o" --name "$name" "$@" | tail -1)
  cp "$data/tokenizer.json" "$o/tokenizer.json"
  node "$here/check_export.js" "$run" "$o"
  node "$here/evaluate.js" "$run" "$o" "$data/ids"  # the committed probes
  node "$here/write_card.js" "$run" "$o" "$data" "$work/corpus" "$work/aux"
  [ -z "$cmp" ] || $PY "$here/compare_models.py" "$o" "$cmp" "${expect[@]}"
}

# ---- the decoder -------------------------------------------------------------------------------------------------
if [ "$what" != encoder ]; then
  if [ -z "$pretrained" ]; then  # 125 minutes of next-token training (train.py, commit 66c631b): not replayed here
    pretrained="$work/init-66c631b/default"; from_git 66c631b default "$pretrained"
  fi
  step "decoder data (tokenizer of $pretrained)"
  bash "$here/build.sh" "${size[@]}" --architecture causal --init "$pretrained" --work "$work" --prepare-only
  base="$work/data-causal"; T=$($PY -c "import sys; sys.path.insert(0, '$here'); from model import CONFIGS; print(CONFIGS['$config']['max_tokens'])")
  # what the first steps trained on: the generator before its clause frames and the first-definition code labels
  step "generated passages and code labels of commit 19eb203"
  $PY "$here/make_aux_text.py" --work "$work" --agree $n_agree --wino $n_wino --no-clause-frames --out "$work/aux-19eb203"
  node "$here/aux_encode.js" text "$base/tokenizer.json" "$work/aux-19eb203/agree.jsonl" 128 "$base/agree-19eb203"
  node "$here/aux_encode.js" code "$base/tokenizer.json" "$work/corpus/train_code.txt" "$T" "$base/code-firstdef" --first-definition
  d1=$(variant data-decoder-1 "$base" "$base/agree-19eb203" "$base/code-firstdef")  # steps 1-673
  d2=$(variant data-decoder-2 "$base" "$base/agree-19eb203" "$base/code")           # 674-921: latest-definition labels
  d3=$(variant data-decoder-3 "$base" "$base/agree" "$base/code")                   # 922-: clause frames (8cc2720)
  run="$work/run-decoder"; rm -rf "$run" "$run.log"
  # first session: 67 minutes in all, 1 thread, from the pretrained weights at build.sh's rate for --init
  train "$run" "$d1" causal $A 1 "$pace1" --init "$pretrained" --minutes $M1 --lr 5e-4 --prose 2 --code 2 --synth 16
  train "$run" "$d1" causal $B 1 "$pace1" --resume --minutes 0 --lr 5e-4 --prose 3 --code 3 --synth 8
  train "$run" "$d2" causal $C 1 "$pace1" --resume --minutes 0 --lr 5e-4 --prose 3 --code 4 --synth 8
  # second session: the schedule extended by 110 minutes at 2e-4; new passages from step 921; 2 threads from 1,458
  train "$run" "$d2" causal $D 1 "$pace2" --resume --minutes $M2 --lr 2e-4 --prose 6 --code 4 --synth 8
  train "$run" "$d3" causal $E 1 "$pace2" --resume --minutes 0 --lr 2e-4 --prose 6 --code 4 --synth 8
  train "$run" "$d3" causal $F 2 "$pace2" --resume --minutes 0 --lr 2e-4 --prose 6 --code 6 --synth 8 --save-steps $F
  # third session: 120 more minutes, 1 thread; the checkpoints it averages are kept by step
  train "$run" "$d3" causal $G 1 "$pace3" --resume --minutes $M3 --lr 2e-4 --prose 6 --code 6 --synth 8 \
    --save-steps "$(IFS=,; echo "${AVG[*]}")"
  step "average steps ${AVG[*]}"
  avg="$work/run-decoder-average"; rm -rf "$avg"
  ckpts=(); for s in "${AVG[@]}"; do ckpts+=("$run/ckpt-step$s.pt"); done
  $PY "$here/average.py" "$avg" "${ckpts[@]}"
  [ -n "$cmp_dec" ] || [ -n "$tiny" ] || cmp_dec="$root/models/default"
  finish "$avg" "$out/default" attention-lens-default "$d3" "$cmp_dec" --fp16 --int8-embedding
  # the encoder's start: the second session's end, exported at full precision
  mkdir -p "$work/decoder-step$F"; cp "$run/ckpt-step$F.pt" "$work/decoder-step$F/ckpt.pt"
  (cd "$here" && $PY export.py --work "$work/decoder-step$F" --out "$work/decoder-step$F/default" | tail -1)
  cp "$base/tokenizer.json" "$work/decoder-step$F/default/tokenizer.json"
fi

# ---- the encoder -------------------------------------------------------------------------------------------------
if [ "$what" != decoder ]; then
  if [ "$enc_init" = git ]; then  # the step-2,712 decoder as committed (fp16, int8 embedding), not at full precision
    enc_init="$work/init-7bfe0be/default"; from_git 7bfe0be default "$enc_init"
  elif [ -z "$enc_init" ]; then
    enc_init="$work/decoder-step$F/default"
    [ -f "$enc_init/model.onnx" ] || { echo "no decoder at step $F in $work: run the decoder first, or --encoder-init git" >&2; exit 1; }
  fi
  enc_tok="${enc_tok:-$root/models/encoder/tokenizer.json}"
  step "encoder data (tokenizer $enc_tok, weights of $enc_init)"
  bash "$here/build.sh" "${size[@]}" --architecture bidirectional --init "$enc_init" --tokenizer "$enc_tok" --work "$work" --prepare-only
  run="$work/run-encoder"; rm -rf "$run" "$run.log"
  CONFIG=$enc_config train "$run" "$work/data-bidirectional" bidirectional $ENC 1 "$pace_enc" --init "$enc_init" \
    --vocab-map "$work/data-bidirectional/vocab_map.json" --minutes $MENC --lr 1.5e-4 --prose 4 --code 3 --synth 12 --wino 2
  [ -n "$cmp_enc" ] || [ -n "$tiny" ] || cmp_enc="$root/models/encoder"
  finish "$run" "$out/encoder" attention-lens-encoder "$work/data-bidirectional" "$cmp_enc" --fp16 --int8-embedding
fi
step "done: $out"
