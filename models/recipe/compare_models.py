#!/usr/bin/env python3
"""How far a rebuilt model folder is from another, e.g. reproduce.sh's result from the shipped model: whether
model.onnx, tokenizer.json and config.json are byte-identical and, on the weights as the graph computes with
them (fp16 and int8 read back to fp32), the largest absolute difference and the relative one (‖a − b‖ / ‖b‖) for
each kind of tensor. A reproduction that is not bit-for-bit (models/README.md says why) shows here by how much.
Usage: compare_models.py A B [--expect-identical]   (then exit 1 unless the three files are byte-identical)
"""
import filecmp, os, sys
import torch
from train_aux import onnx_weights

KINDS = [("token embedding", ("wte.",)), ("positions", ("wpe.",)), ("attention", (".qkv.", ".proj.")),
         ("feed-forward", (".fc.", ".out.")), ("layer norms", (".ln1.", ".ln2.", "ln_f."))]


def main():
    args = [x for x in sys.argv[1:] if not x.startswith("--")]
    if len(args) != 2:
        raise SystemExit("usage: compare_models.py A B [--expect-identical]")
    a, b = args
    same = {f: filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False)
            for f in ("model.onnx", "tokenizer.json", "config.json")}
    print(f"{a} against {b}: " + ", ".join(f"{f} {'byte-identical' if s else 'differs'}" for f, s in same.items()))
    wa, wb = onnx_weights(a), onnx_weights(b)
    if wa.keys() != wb.keys() or any(wa[k].shape != wb[k].shape for k in wa):
        print("  the weights differ in names or shapes (another configuration or vocabulary)")
    else:
        for kind, marks in KINDS:
            keys = [k for k in wa if any(m in "." + k for m in marks)]
            if not keys:
                continue
            d = torch.cat([(wa[k] - wb[k]).ravel() for k in keys])
            ref = torch.cat([wb[k].ravel() for k in keys])
            print(f"  {kind:15} max abs difference {d.abs().max().item():.3g}, relative {(d.norm() / ref.norm()).item():.3g}")
    if "--expect-identical" in sys.argv and not all(same.values()):
        raise SystemExit("expected byte-identical folders")


if __name__ == "__main__":
    main()
