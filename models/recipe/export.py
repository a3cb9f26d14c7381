#!/usr/bin/env python3
"""Export a checkpoint to ONNX per the model contract, check it against PyTorch, write config.json.

Outputs: logits [b, seq, vocab]; attentions.{i} [b, heads, seq, seq]; queries.{i}, keys.{i}
[b, heads, seq, head_dim]. Input: input_ids int64 [b, seq], seq dynamic up to max_tokens.
--fp16 stores the weights as fp16 with a Cast to fp32 in the graph (half the file; every computation,
attention included, stays fp32); the PyTorch reference then uses the same rounded weights.
--int8-embedding stores the token embedding (the largest tensor, tied with the output layer) as int8 with one
fp16 scale per row, dequantized to fp32 in the graph: a larger vocabulary for the same .vsix budget. The
PyTorch reference uses the dequantized embedding, so the shipped model is the one checked and scored.
"""
import argparse, json, os, shutil
import numpy as np
import onnx
import torch
from model import GPT


class Export(torch.nn.Module):
    def __init__(self, gpt):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids):
        logits, atts, qs, ks = self.gpt(input_ids, with_attention=True)
        return (logits, *atts, *qs, *ks)


def weights_to_fp16(m):
    """Every fp32 initializer becomes fp16, read through a Cast back to fp32 under its old name."""
    from onnx import TensorProto, helper, numpy_helper
    casts, inits = [], []
    for init in m.graph.initializer:
        if init.data_type != TensorProto.FLOAT:
            inits.append(init); continue
        arr = numpy_helper.to_array(init).astype(np.float16)
        inits.append(numpy_helper.from_array(arr, init.name + ".fp16"))
        casts.append(helper.make_node("Cast", [init.name + ".fp16"], [init.name], to=TensorProto.FLOAT, name="cast_" + init.name))
    del m.graph.initializer[:]
    m.graph.initializer.extend(inits)
    nodes = list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(casts + nodes)


EMBEDDING = "gpt.wte.weight"


def int8_rows(w):
    """Symmetric per-row int8: (int8 values, fp16 scales [rows, 1]); q * scale is the weight the model uses."""
    scale = (np.abs(w).max(axis=1, keepdims=True) / 127).astype(np.float16)
    scale[scale == 0] = 1
    q = np.clip(np.rint(w / scale.astype(np.float32)), -127, 127).astype(np.int8)
    return q, scale


def embedding_to_int8(m, q, scale):
    """The embedding initializer becomes int8 + fp16 scales, read back through Cast and Mul under its old name."""
    from onnx import TensorProto, helper, numpy_helper
    kept = [i for i in m.graph.initializer if i.name != EMBEDDING]
    if len(kept) == len(m.graph.initializer):
        raise SystemExit(f"the exported graph has no initializer {EMBEDDING}")
    del m.graph.initializer[:]
    m.graph.initializer.extend(kept + [numpy_helper.from_array(q, EMBEDDING + ".int8"),
                                       numpy_helper.from_array(scale, EMBEDDING + ".scale")])
    nodes = [
        helper.make_node("Cast", [EMBEDDING + ".int8"], [EMBEDDING + ".q"], to=TensorProto.FLOAT, name="cast_embedding_int8"),
        helper.make_node("Cast", [EMBEDDING + ".scale"], [EMBEDDING + ".s"], to=TensorProto.FLOAT, name="cast_embedding_scale"),
        helper.make_node("Mul", [EMBEDDING + ".q", EMBEDDING + ".s"], [EMBEDDING], name="dequantize_embedding"),
    ]
    rest = list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(nodes + rest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="attention-lens-default")
    ap.add_argument("--fp16", action="store_true")
    ap.add_argument("--int8-embedding", action="store_true")
    a = ap.parse_args()
    ck = torch.load(os.path.join(a.work, "ckpt.pt"), map_location="cpu")
    cfg = ck["cfg"]
    gpt = GPT(**cfg)
    gpt.load_state_dict(ck["model"])
    gpt.eval()
    if a.fp16:  # the shipped weights are these rounded ones: the reference must use them too
        with torch.no_grad():
            for p in gpt.parameters():
                p.copy_(p.half().float())
    quant = None
    if a.int8_embedding:
        quant = int8_rows(gpt.wte.weight.detach().numpy())
        with torch.no_grad():
            gpt.wte.weight.copy_(torch.from_numpy(quant[0].astype(np.float32) * quant[1].astype(np.float32)))
    L = cfg["n_layer"]
    names = ["logits"] + [f"attentions.{i}" for i in range(L)] + [f"queries.{i}" for i in range(L)] + [f"keys.{i}" for i in range(L)]
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "model.onnx")
    dummy = torch.randint(0, cfg["vocab_size"], (1, 16))
    dyn = {"input_ids": {0: "batch", 1: "seq"}}
    for n in names:
        dyn[n] = {0: "batch", 1: "seq"} if n == "logits" else ({0: "batch", 2: "seq", 3: "seq"} if n.startswith("att") else {0: "batch", 2: "seq"})
    with torch.no_grad():
        torch.onnx.export(Export(gpt), (dummy,), path, input_names=["input_ids"], output_names=names,
                          dynamic_axes=dyn, opset_version=14, do_constant_folding=False,  # folding would store the tied embedding twice
                          # in eval mode the exporter merges equal weights (a barely trained LayerNorm's ones) under one
                          # name, and train_aux.py --init could not read them back; the model has no dropout, so the graph is the same
                          training=torch.onnx.TrainingMode.TRAINING)
    m = onnx.load(path)
    if quant:
        embedding_to_int8(m, *quant)
    if a.fp16:
        weights_to_fp16(m)
    if quant or a.fp16:
        onnx.save(m, path)
    onnx.checker.check_model(m)
    # reference attentions from PyTorch on random inputs; check_export.js compares onnxruntime's
    ref_dir = os.path.join(a.work, "export_ref")
    os.makedirs(ref_dir, exist_ok=True)
    for T in (1, 7, 64, cfg["max_tokens"]):
        ids = torch.randint(0, cfg["vocab_size"], (1, T))
        with torch.no_grad():
            ref = Export(gpt)(ids)
        json.dump(ids[0].tolist(), open(os.path.join(ref_dir, f"{T}.ids.json"), "w"))
        np.concatenate([r.numpy().ravel() for r in ref[1:1 + L]]).astype(np.float32).tofile(os.path.join(ref_dir, f"{T}.att.f32"))
    print(f"exported {os.path.getsize(path) / 1e6:.1f} MB to {path}")
    state = dict(ck["state"], params=sum(p.numel() for p in gpt.parameters()), cfg=cfg, int8_embedding=bool(quant))
    json.dump(state, open(os.path.join(a.work, "train_state.json"), "w"), indent=1)
    if os.path.exists(os.path.join(a.work, "tokenizer.json")):  # build.sh copies the data's tokenizer itself
        shutil.copy(os.path.join(a.work, "tokenizer.json"), os.path.join(a.out, "tokenizer.json"))
    conf_path = os.path.join(a.out, "config.json")
    old = json.load(open(conf_path)) if os.path.exists(conf_path) else {}
    trained = ck["state"].get("heads")  # train_aux.py's heads: named and trained
    causal = cfg.get("causal", True)
    conf = {
        "name": a.name,
        "architecture": "causal" if causal else "bidirectional",
        "num_layers": L,
        "num_heads": cfg["n_head"],
        "hidden_size": cfg["d_model"],
        "head_dim": cfg["d_model"] // cfg["n_head"],
        "vocab_size": cfg["vocab_size"],
        "max_tokens": cfg["max_tokens"],
        "special_tokens": {"bos": "<|endoftext|>", "eos": "<|endoftext|>", **({} if causal else {"mask": "<|mask|>"})},
        "prepend_bos": True,
        "outputs": {"queries": True, "keys": True},
        "heads": trained or old.get("heads", {}),
    }
    if trained:
        conf["trained_heads"] = sorted(trained)
    json.dump(conf, open(conf_path, "w"), indent=2)


if __name__ == "__main__":
    main()
