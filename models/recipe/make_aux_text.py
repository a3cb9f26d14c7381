#!/usr/bin/env python3
"""Writes the labelled generated text for the auxiliary loss: WORK/aux/agree.jsonl (pronoun passages,
both models) and WORK/aux/wino.jsonl (Winograd-style sentences, the encoder only), one JSON per line.
Usage: make_aux_text.py --work WORK [--agree N] [--wino N]"""
import argparse, json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lexicon import Lexicon
from pronoun_gen import passage
from winograd_gen import training_item

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
ap.add_argument("--agree", type=int, default=150000)
ap.add_argument("--wino", type=int, default=80000)
a = ap.parse_args()
lex = Lexicon(os.environ.get("RECIPE_DOWNLOADS") or os.path.join(a.work, "downloads"))
os.makedirs(os.path.join(a.work, "aux"), exist_ok=True)
rng = random.Random(7)
with open(os.path.join(a.work, "aux", "agree.jsonl"), "w") as f:
    for _ in range(a.agree):
        text, labels = passage(rng, lex, lex.train)
        f.write(json.dumps({"text": text, "labels": labels}) + "\n")
with open(os.path.join(a.work, "aux", "wino.jsonl"), "w") as f:
    for _ in range(a.wino):
        text, labels = training_item(rng, lex)
        f.write(json.dumps({"text": text, "labels": labels}) + "\n")
json.dump(lex.sizes(), open(os.path.join(a.work, "aux", "lexicon_sizes.json"), "w"))
