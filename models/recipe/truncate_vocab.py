#!/usr/bin/env python3
"""Shrinks a trained model's BPE vocabulary to its first N tokens, after training, to fit the .vsix budget.
BPE merges apply in order, so dropping the last merges (the rarest tokens) leaves a valid tokenizer whose other
tokens keep their ids; text that used a dropped token is split into the pieces it was merged from, which the
model knows. <|mask|> moves to the new last id with its embedding row.
Usage: truncate_vocab.py --work RUN --data DATA --size N --out-work RUN2 --out-data DATA2"""
import argparse, json, os, shutil
import torch

ap = argparse.ArgumentParser()
for k in ("--work", "--data", "--out-work", "--out-data"):
    ap.add_argument(k, required=True)
ap.add_argument("--size", type=int, required=True)
a = ap.parse_args()
MASK = "<|mask|>"
tok = json.load(open(os.path.join(a.data, "tokenizer.json")))
vocab = tok["model"]["vocab"]
mask_old = vocab.get(MASK)
keep = a.size - (1 if mask_old is not None else 0)
new_vocab = {t: i for t, i in vocab.items() if i < keep and t != MASK}
tok["model"]["merges"] = [m for m in tok["model"]["merges"]
                          if "".join(m if isinstance(m, list) else m.split(" ")) in new_vocab]
if mask_old is not None:
    new_vocab[MASK] = keep
    for t in tok["added_tokens"]:
        if t["content"] == MASK:
            t["id"] = keep
tok["model"]["vocab"] = new_vocab
os.makedirs(os.path.join(a.out_data, "ids"), exist_ok=True)
json.dump(tok, open(os.path.join(a.out_data, "tokenizer.json"), "w"))
ck = torch.load(os.path.join(a.work, "ckpt.pt"), map_location="cpu")
w = ck["model"]["wte.weight"]
rows = [w[:keep]] + ([w[mask_old:mask_old + 1]] if mask_old is not None else [])
ck["model"]["wte.weight"] = torch.cat(rows).clone()
ck["cfg"]["vocab_size"] = a.size
ck["state"]["vocab_truncated"] = {"from": len(vocab), "to": a.size}
ck.pop("opt", None)
os.makedirs(a.out_work, exist_ok=True)
torch.save(ck, os.path.join(a.out_work, "ckpt.pt"))
for f in ("history.json", "notes.md"):
    if os.path.exists(os.path.join(a.work, f)):
        shutil.copy(os.path.join(a.work, f), os.path.join(a.out_work, f))
print(f"vocabulary {len(vocab)} -> {len(new_vocab)}, merges {len(tok['model']['merges'])}")
