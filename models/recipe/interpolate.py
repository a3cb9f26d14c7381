#!/usr/bin/env python3
"""Weight interpolation of a fine-tuned checkpoint with the weights it started from (WiSE-FT, Wortsman et
al. 2022): alpha * trained + (1 - alpha) * initial, written as a checkpoint export.py reads. Fine-tuning with
the auxiliary losses moves perplexity; interpolating gives some of it back while the probes (measured after
export) say how much of the trained heads stays. Usage: interpolate.py --work RUN --init DIR --alpha A --out DIR"""
import argparse, json, os, shutil
import torch
from model import GPT
from train_aux import load_onnx_weights

ap = argparse.ArgumentParser()
ap.add_argument("--work", required=True)
ap.add_argument("--init", required=True)
ap.add_argument("--alpha", type=float, required=True)
ap.add_argument("--out", required=True)
a = ap.parse_args()
ck = torch.load(os.path.join(a.work, "ckpt.pt"), map_location="cpu")
start = GPT(**ck["cfg"])
load_onnx_weights(start, a.init)
s0 = start.state_dict()
ck["model"] = {k: a.alpha * v + (1 - a.alpha) * s0[k] for k, v in ck["model"].items()}
ck["state"]["interpolation"] = {"alpha": a.alpha, "with": os.path.basename(os.path.abspath(a.init))}
ck.pop("opt", None)
os.makedirs(a.out, exist_ok=True)
torch.save(ck, os.path.join(a.out, "ckpt.pt"))
for f in ("history.json", "notes.md"):
    if os.path.exists(os.path.join(a.work, f)):
        shutil.copy(os.path.join(a.work, f), os.path.join(a.out, f))
print(f"interpolated alpha {a.alpha} -> {a.out}/ckpt.pt")
