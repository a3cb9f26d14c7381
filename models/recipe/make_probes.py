#!/usr/bin/env python3
"""Writes the probes the card is scored on: probes/pronoun.json and probes/code.json.
Each item: text, the query span ("pronoun": the pronoun, or the later use of an identifier),
the antecedent span and the other candidate's span (character offsets), and its kind."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coref_text import pronoun_probe
from code_probe import code_probe

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probes")
os.makedirs(out, exist_ok=True)
json.dump(pronoun_probe(), open(os.path.join(out, "pronoun.json"), "w"), indent=1)
json.dump(code_probe(), open(os.path.join(out, "code.json"), "w"), indent=1)
