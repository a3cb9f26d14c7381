#!/usr/bin/env python3
"""Writes the labelled generated text for the auxiliary loss: WORK/aux/agree.jsonl (pronoun passages,
both models) and WORK/aux/wino.jsonl (Winograd-style sentences, the encoder only), one JSON per line.
Usage: make_aux_text.py --work WORK [--agree N] [--wino N] [--no-clause-frames] [--out DIR]
--no-clause-frames writes the passages of the generator before its one-sentence clause frames (commit 19eb203),
which the bundled decoder trained on up to step 921 (reproduce.sh); --out writes them elsewhere than WORK/aux."""
import argparse, json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lexicon import Lexicon
from pronoun_gen import passage
from winograd_gen import training_item

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
ap.add_argument("--agree", type=int, default=150000)
ap.add_argument("--wino", type=int, default=80000)
ap.add_argument("--no-clause-frames", action="store_true")
ap.add_argument("--out")
a = ap.parse_args()
out = a.out or os.path.join(a.work, "aux")
lex = Lexicon(os.environ.get("RECIPE_DOWNLOADS") or os.path.join(a.work, "downloads"))
os.makedirs(out, exist_ok=True)
rng = random.Random(7)
with open(os.path.join(out, "agree.jsonl"), "w") as f:
    for _ in range(a.agree):
        text, labels = passage(rng, lex, lex.train, clause_frames=not a.no_clause_frames)
        f.write(json.dumps({"text": text, "labels": labels}) + "\n")
with open(os.path.join(out, "wino.jsonl"), "w") as f:
    for _ in range(a.wino):
        text, labels = training_item(rng, lex)
        f.write(json.dumps({"text": text, "labels": labels}) + "\n")
json.dump(lex.sizes(), open(os.path.join(out, "lexicon_sizes.json"), "w"))
