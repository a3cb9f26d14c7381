#!/usr/bin/env python3
"""Train with an auxiliary loss on two named heads' attention (as LISA trains a head on syntax), for a time
budget, with resumable checkpoints.

Every step mixes real text (the language-model loss keeps perplexity), real code whose identifier uses are
labelled with their definitions (loss on heads.code) and generated passages whose pronouns are labelled with
their antecedents (loss on heads.pronoun). Auxiliary loss: −log(attention mass of the head, from the query
token, on the target tokens). Every other head learns freely.
  causal:        next-token loss; --init MODEL_DIR fine-tunes a bundled model (its ONNX initializers are
                 the PyTorch parameters), keeping its vocabulary
  bidirectional: masked-LM loss (BERT's 15%, 80/10/10), logits only at the masked positions; labelled tokens
                 are never masked
Usage: train_aux.py --work W --data D --architecture causal|bidirectional --minutes N [--init DIR] [--resume]
  --stop-step N          end this invocation after step N (checkpoint saved, schedule kept): a later --resume goes on
                         from exactly there, as the shipped runs were resumed at recorded steps (reproduce.sh)
  --save-steps N,N,...   also keep the checkpoint of each of these steps as WORK/ckpt-step{N}.pt (the checkpoints a
                         run ships or averages, chosen by step rather than by the wall clock of a 5-minute save)
  --seconds-per-step S   the schedule's clock advances S seconds a step instead of the wall clock's: the learning
                         rate and the end of the budget then fall on the same steps on any machine
"""
import argparse, json, math, os, platform, shutil, time
import numpy as np
import torch
import torch.nn.functional as F
from model import GPT, CONFIGS

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


class AuxRows:
    """Rows written by aux_encode.js: ids, protect mask and (row, query, start, end) labels."""

    def __init__(self, prefix, T):
        self.ids = np.fromfile(prefix + ".ids", dtype=np.uint16).reshape(-1, T)
        self.protect = np.fromfile(prefix + ".protect", dtype=np.uint8).reshape(-1, T)
        lab = np.fromfile(prefix + ".labels", dtype=np.int32).reshape(-1, 4)
        order = np.argsort(lab[:, 0], kind="stable")
        self.lab = lab[order]
        self.start = np.searchsorted(self.lab[:, 0], np.arange(len(self.ids) + 1))

    def batch(self, rng, n):
        rows = rng.integers(0, len(self.ids), size=n)
        labs = [np.c_[np.full(self.start[r + 1] - self.start[r], i), self.lab[self.start[r]:self.start[r + 1], 1:]]
                for i, r in enumerate(rows)]
        return (torch.from_numpy(self.ids[rows].astype(np.int64)), torch.from_numpy(self.protect[rows].astype(bool)),
                np.concatenate(labs) if labs else np.zeros((0, 4), np.int64))


def aux_loss(att, head, labels, T):
    """att: [B, H, T, T] of one layer; labels [n, 4] (batch row, query, start, end): −log mass on targets,
    a query's several target ranges pooled."""
    if len(labels) == 0:
        return att.sum() * 0
    keys, inv = np.unique(labels[:, :2], axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    target = torch.zeros(len(keys), T, device=att.device)
    for g, (_, _, s, e) in zip(inv, labels):
        target[g, s:e] = 1.0
    rows = att[torch.as_tensor(keys[:, 0], device=att.device), head, torch.as_tensor(keys[:, 1], device=att.device)]
    return -torch.log((rows * target).sum(-1) + 1e-6).mean()


def mask_tokens(x, protect, rng_t, vocab, mask_id, rate=0.15):
    """BERT masking of unprotected, non-bos tokens: returns the input and (flat positions, targets)."""
    cand = (~protect) & (x != 0)
    pick = (torch.rand(x.shape, generator=rng_t) < rate) & cand
    y = x[pick]
    x = x.clone()
    r = torch.rand(y.shape, generator=rng_t)
    rnd = torch.randint(1, vocab, y.shape, generator=rng_t)
    x[pick] = torch.where(r < 0.8, torch.full_like(y, mask_id), torch.where(r < 0.9, rnd, y))
    return x, pick.reshape(-1).nonzero().squeeze(1), y


def onnx_weights(model_dir):
    """A model folder's weights by PyTorch name, as the fp32 values its graph computes with."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(model_dir, "model.onnx"))
    raw = {i.name.removeprefix("gpt."): numpy_helper.to_array(i) for i in m.graph.initializer}
    # a shipped model stores weights as fp16 ("name.fp16") and the embedding as int8 rows with fp16 scales
    # (export.py --fp16 --int8-embedding): read them back as the fp32 weights its graph computes with
    state = {}
    for name, arr in raw.items():
        if name.endswith(".scale"):
            continue
        arr = arr.astype(np.float32)
        if name.endswith(".int8"):
            name = name.removesuffix(".int8")
            arr = arr * raw[name + ".scale"].astype(np.float32)
        state[name.removesuffix(".fp16")] = torch.from_numpy(arr.copy())
    return state


def load_onnx_weights(model, model_dir, vocab_map=None):
    """Start from a bundled model's weights. With vocab_map (vocab_map.js), the model has another vocabulary:
    each new token's embedding starts as the mean of the old embeddings of the pieces the old tokenizer gives it."""
    state = onnx_weights(model_dir)
    if vocab_map:
        old = state["wte.weight"]
        pieces = json.load(open(vocab_map))
        state["wte.weight"] = torch.stack([old[torch.tensor(p)].mean(0) if p else old.mean(0) for p in pieces])
    missing = model.load_state_dict({k: v for k, v in state.items() if k in model.state_dict()}, strict=False).missing_keys
    if missing:
        raise SystemExit(f"{model_dir}/model.onnx lacks parameters {missing}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True, help="checkpoint and log folder")
    ap.add_argument("--data", required=True, help="folder with tokenizer.json, ids/, agree.*, code.* (and wino.*)")
    ap.add_argument("--architecture", choices=["causal", "bidirectional"], default="causal")
    ap.add_argument("--config", default="default", choices=list(CONFIGS))
    ap.add_argument("--init", help="a model folder whose model.onnx weights start the run")
    ap.add_argument("--vocab-map", help="with --init of another vocabulary: vocab_map.js's output")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--prose", type=int, default=4, help="rows of real prose per step")
    ap.add_argument("--code", type=int, default=3, help="rows of labelled real code per step")
    ap.add_argument("--synth", type=int, default=16, help="rows of generated labelled passages per step (128 tokens)")
    ap.add_argument("--wino", type=int, help="of those, rows of Winograd-style passages (default: half)")
    ap.add_argument("--heads", default='{"pronoun": [3, 0], "code": [3, 1]}')
    ap.add_argument("--aux-weight", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--stop-step", type=int, help="end this invocation after this step (resumable)")
    ap.add_argument("--save-steps", default="", help="comma-separated steps whose checkpoints are kept as ckpt-step{N}.pt")
    ap.add_argument("--seconds-per-step", type=float, help="a clock of S seconds a step for the schedule, not the wall clock")
    a = ap.parse_args()
    save_steps = {int(x) for x in a.save_steps.split(",") if x.strip()}
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    os.makedirs(a.work, exist_ok=True)
    tok = json.load(open(os.path.join(a.data, "tokenizer.json")))
    vocab = len(tok["model"]["vocab"])
    mask_id = tok["model"]["vocab"].get("<|mask|>")
    causal = a.architecture == "causal"
    if not causal and mask_id is None:
        raise SystemExit("an encoder needs <|mask|> in tokenizer.json (tokenize_corpus.js --mask)")
    cfg = CONFIGS[a.config]
    T = cfg["max_tokens"]
    heads = json.loads(a.heads)
    model = GPT(vocab, causal=causal, **cfg).to(DEVICE)
    if a.init and not (a.resume and os.path.exists(os.path.join(a.work, "ckpt.pt"))):
        load_onnx_weights(model, a.init, a.vocab_map)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), weight_decay=0.1)
    ckpt_path = os.path.join(a.work, "ckpt.pt")
    state = {"step": 0, "tokens": 0, "seconds": 0.0, "budget_s": a.minutes * 60, "log": [], "heads": heads,
             "architecture": a.architecture, "init": a.init, "vocab_map": bool(a.vocab_map), "mix": [a.prose, a.code, a.synth],
             "aux_weight": a.aux_weight}
    if a.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=DEVICE)
        model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); state = ck["state"]
        state["budget_s"] += a.minutes * 60  # a resumed run extends the schedule
        if state.get("mix") != [a.prose, a.code, a.synth]:  # the card tells each part's mix
            state.setdefault("mix_history", []).append({"from_step": state["step"], "mix": [a.prose, a.code, a.synth]})
            state["mix"] = [a.prose, a.code, a.synth]
    rng = np.random.default_rng(state["step"])
    rng_t = torch.Generator().manual_seed(state["step"])
    prose = np.fromfile(os.path.join(a.data, "ids", "train_prose.bin"), dtype=np.uint16)
    val = {k: np.fromfile(os.path.join(a.data, "ids", f"val_{k}.bin"), dtype=np.uint16) for k in ("prose", "code")}
    code = AuxRows(os.path.join(a.data, "code"), T)
    synth = [AuxRows(os.path.join(a.data, n), 128) for n in ("agree", "wino") if os.path.exists(os.path.join(a.data, n + ".ids"))]
    print(f"params {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M, vocab {vocab}, {a.architecture}; prose "
          f"{len(prose) / 1e6:.1f} M tokens, code rows {len(code.ids)}, synth rows {[len(s.ids) for s in synth]}", flush=True)
    # agreement passages first, then Winograd-style ones (an encoder's data has both)
    wino = (a.synth // 2 if a.wino is None else a.wino) if len(synth) > 1 else 0
    if not 0 <= wino <= a.synth:
        raise SystemExit(f"--wino {wino} must be between 0 and --synth {a.synth}")
    synth_rows = [a.synth - wino, wino][:len(synth)]
    state["wino_rows"] = wino
    if a.seconds_per_step:
        state.setdefault("clock", []).append({"from_step": state["step"], "seconds_per_step": a.seconds_per_step})
    lp, hp = heads["pronoun"]; lc, hc = heads["code"]
    last_save, t_start = time.time(), time.time() - state["seconds"]
    warm = 50 if a.init else 200
    while state["seconds"] < state["budget_s"]:
        if a.stop_step is not None and state["step"] >= a.stop_step:
            break
        frac = state["seconds"] / state["budget_s"]
        lr = a.lr * min(1.0, (state["step"] + 1) / warm) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        starts = rng.integers(0, len(prose) - T - 1, size=a.prose)
        px = torch.from_numpy(np.stack([prose[s:s + T + 1] for s in starts]).astype(np.int64))
        cx, cprot, clab = code.batch(rng, a.code)
        parts = [s.batch(rng, n) for s, n in zip(synth, synth_rows) if n]
        sx = torch.cat([p[0] for p in parts]); sprot = torch.cat([p[1] for p in parts])
        off = np.cumsum([0] + [len(p[0]) for p in parts])
        slab = np.concatenate([np.c_[p[2][:, 0] + off[i], p[2][:, 1:]] for i, p in enumerate(parts)])
        # real rows (prose + code) share a shape and one forward pass; generated rows are shorter
        rx = torch.cat([px[:, :T], cx]) if causal else torch.cat([px[:, 1:], cx])
        logs = {}
        if causal:
            ry = torch.cat([px[:, 1:], torch.cat([cx[:, 1:], torch.zeros(len(cx), 1, dtype=torch.long)], 1)])
            h, atts, _, _ = model.hidden(rx.to(DEVICE), with_attention=True)
            logits = model.ln_f(h) @ model.wte.weight.t()
            lm = F.cross_entropy(logits[:, :-1].reshape(-1, vocab), ry[:, :-1].reshape(-1).to(DEVICE))
            _, satts, _, _ = model.hidden(sx.to(DEVICE), with_attention=True, upto=lp + 1)
        else:
            rprot = torch.cat([torch.zeros(len(px), T, dtype=torch.bool), cprot])
            mx, ridx, ry = mask_tokens(rx, rprot, rng_t, vocab, mask_id)
            h, atts, _, _ = model.hidden(mx.to(DEVICE), with_attention=True)
            msx, sidx, sy = mask_tokens(sx, sprot, rng_t, vocab, mask_id)
            hs, satts, _, _ = model.hidden(msx.to(DEVICE), with_attention=True)
            lm = F.cross_entropy(torch.cat([model.logits_at(h, ridx.to(DEVICE)), model.logits_at(hs, sidx.to(DEVICE))]),
                                 torch.cat([ry, sy]).to(DEVICE))
        clab = np.c_[clab[:, 0] + a.prose, clab[:, 1:]]
        la_code = aux_loss(atts[lc], hc, clab, T)
        la_pron = aux_loss(satts[lp], hp, slab, 128)
        loss = lm + a.aux_weight * (la_code + la_pron)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["tokens"] += rx.numel() + sx.numel()
        state["seconds"] = state["seconds"] + a.seconds_per_step if a.seconds_per_step else time.time() - t_start
        if state["step"] % 10 == 0:
            print(f"step {state['step']} tokens {state['tokens'] / 1e6:.2f} M lm {lm.item():.3f} aux code {la_code.item():.3f} "
                  f"pronoun {la_pron.item():.3f} lr {lr:.2e} {state['tokens'] / state['seconds']:.0f} tok/s", flush=True)
        if state["step"] % 200 == 0:
            ppl = evaluate(model, val, T, vocab, mask_id, causal)
            state["log"].append({"step": state["step"], "tokens": state["tokens"], "seconds": round(state["seconds"]), "val": ppl})
            print("val", json.dumps(ppl), flush=True)
        if time.time() - last_save > 300 or state["seconds"] >= state["budget_s"] or state["step"] in save_steps \
                or state["step"] == a.stop_step:
            save(model, opt, state, ckpt_path); last_save = time.time()
            if state["step"] in save_steps:
                shutil.copyfile(ckpt_path, os.path.join(a.work, f"ckpt-step{state['step']}.pt"))
    if a.stop_step is not None and state["step"] >= a.stop_step:
        print(f"stopped at step {state['step']} (--stop-step); --resume goes on from here", flush=True)
        return
    state["final_val"] = evaluate(model, val, T, vocab, mask_id, causal, 24)
    print("final val", json.dumps(state["final_val"]), flush=True)
    save(model, opt, state, ckpt_path)


@torch.no_grad()
def evaluate(model, val, T, vocab, mask_id, causal, windows=6):
    """Perplexity (causal) or masked-token perplexity (bidirectional, fixed masks) on held-out windows."""
    model.eval()
    out = {}
    g = torch.Generator().manual_seed(0)
    for k, d in val.items():
        losses = []
        for i in range(min(windows, (len(d) - 1) // T)):
            x = torch.from_numpy(d[i * T:i * T + T + 1].astype(np.int64))[None]
            if causal:
                losses.append(F.cross_entropy(model(x[:, :-1].to(DEVICE))[0], x[0, 1:].to(DEVICE)).item())
            else:
                mx, idx, y = mask_tokens(x[:, :-1], torch.zeros(1, T, dtype=torch.bool), g, vocab, mask_id)
                h, _, _, _ = model.hidden(mx.to(DEVICE))
                losses.append(F.cross_entropy(model.logits_at(h, idx.to(DEVICE)), y.to(DEVICE)).item())
        out[k] = round(math.exp(sum(losses) / len(losses)), 2)
    model.train()
    return out


def save(model, opt, state, path):
    where = torch.cuda.get_device_name() if DEVICE == "cuda" else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    state["hardware"] = f"{where}, torch {torch.__version__}"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "cfg": model.cfg}, path + ".tmp")
    os.replace(path + ".tmp", path)  # never leave a half-written checkpoint


if __name__ == "__main__":
    main()
