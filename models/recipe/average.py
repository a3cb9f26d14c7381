#!/usr/bin/env python3
"""Average the weights of several checkpoints of one run (as in Izmailov et al. 2018, SWA): the trained heads
swing from one checkpoint to the next as the code and pronoun batches change, and the mean of late checkpoints
is steadier than any one of them. Writes OUT/ckpt.pt with the mean weights and the last checkpoint's state, which
records what was averaged.
Usage: average.py OUT CKPT [CKPT ...]
"""
import os, sys
import torch


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    if len(paths) < 2:
        raise SystemExit("usage: average.py OUT CKPT CKPT [...]: at least two checkpoints")
    cks = [torch.load(p, map_location="cpu") for p in paths]
    if any(c["cfg"] != cks[0]["cfg"] for c in cks):
        raise SystemExit("the checkpoints are of different models")
    mean = {k: sum(c["model"][k].float() for c in cks) / len(cks) for k in cks[0]["model"]}
    state = dict(cks[-1]["state"])
    state["averaged"] = [{"step": c["state"]["step"], "tokens": c["state"]["tokens"]} for c in cks]
    os.makedirs(out, exist_ok=True)
    torch.save({"model": mean, "state": state, "cfg": cks[-1]["cfg"]}, os.path.join(out, "ckpt.pt"))
    print(f"averaged {len(cks)} checkpoints (steps {', '.join(str(c['state']['step']) for c in cks)}) into {out}/ckpt.pt")


if __name__ == "__main__":
    main()
