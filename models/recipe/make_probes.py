#!/usr/bin/env python3
"""Writes the probes the cards are scored on: probes/pronoun.json and probes/code.json (--dev: probes/dev/, the
same kinds drawn again with other seeds, for choosing among checkpoints).
Each item: text, the query span ("pronoun": the pronoun, or the later use of an identifier),
the antecedent span and the other candidate's span (character offsets), and its kind:
  agreement         gender or number decides; held-out names, nouns and frames (pronoun_gen.py)
  winograd          only meaning decides, the cue after the pronoun; held-out nouns and frames (winograd_gen.py)
  winograd-classic  the classic hand-written items of coref_text.py (their nouns are not in training)
  seeds             the seeds' pair: "The animal didn't cross the street because it was too tired / wide"
"""
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from coref_text import pronoun_probe
from code_probe import code_probe
from lexicon import Lexicon
from pronoun_gen import agreement_probe
from winograd_gen import winograd_probe

downloads = os.environ.get("RECIPE_DOWNLOADS") or os.path.join(here, "work", "downloads")
lex = Lexicon(downloads)
classic = [it for it in pronoun_probe() if it["kind"] == "winograd"]
for it in classic:
    it["kind"] = "seeds" if "animal didn't cross the street" in it["text"] else "winograd-classic"
# --dev: a second draw of the same held-out words and frames (other seeds), for choosing a checkpoint without
# looking at the probe the card reports; the classic items are few, so they stay in the reported probe only. Three
# times the reported probe's size (its first third is the earlier 240/80/120 draw), so that one item moves a score by
# 0.14 points rather than 0.4 and two checkpoints can be told apart
dev = "--dev" in sys.argv[1:]
if dev:
    items = agreement_probe(lex, n=720, seed=111) + winograd_probe(lex, n=240, seed=121)
    out = os.path.join(here, "probes", "dev")
else:
    items = agreement_probe(lex) + winograd_probe(lex) + classic
    out = os.path.join(here, "probes")
os.makedirs(out, exist_ok=True)
json.dump(items, open(os.path.join(out, "pronoun.json"), "w"), indent=1)
json.dump(code_probe(n=360, seed=105) if dev else code_probe(), open(os.path.join(out, "code.json"), "w"), indent=1)
print({k: sum(1 for i in items if i["kind"] == k) for k in ("agreement", "winograd", "winograd-classic", "seeds")})
