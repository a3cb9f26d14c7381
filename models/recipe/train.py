#!/usr/bin/env python3
"""Train the default model on the encoded corpus, for a time budget, with resumable checkpoints.

Usage: train.py --work WORK --config default --minutes 120 [--resume]
"""
import argparse, json, math, os, platform, time
import numpy as np
import torch
import torch.nn.functional as F
from model import GPT, CONFIGS

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"  # a GPU machine trains the same recipe
MIX = {"prose": 0.45, "code": 0.30, "synth": 0.25}  # share of each batch's sequences


def load(work, split):
    return {k: np.fromfile(os.path.join(work, "ids", f"{split}_{k}.bin"), dtype=np.uint16) for k in MIX}


def batch(data, rng, n, T):
    kinds = rng.choice(list(MIX), size=n, p=list(MIX.values()))
    rows = []
    for k in kinds:
        d = data[k]
        i = rng.integers(0, len(d) - T - 1)
        rows.append(d[i:i + T + 1])
    x = torch.from_numpy(np.stack(rows).astype(np.int64))
    return x[:, :-1].to(DEVICE), x[:, 1:].to(DEVICE)


@torch.no_grad()
def evaluate(model, val, T, max_windows=40):
    model.eval()
    out = {}
    for k, d in val.items():
        n = min(max_windows, (len(d) - 1) // T)
        losses = []
        for i in range(n):
            x = torch.from_numpy(d[i * T:i * T + T + 1].astype(np.int64))[None].to(DEVICE)
            losses.append(F.cross_entropy(model(x[:, :-1])[0], x[0, 1:]).item())
        out[k] = math.exp(sum(losses) / len(losses))
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--config", default="default", choices=list(CONFIGS))
    ap.add_argument("--minutes", type=float, default=120)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--eval-every", type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)  # one thread is the default here; two is ~1.7x faster
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    vocab = json.load(open(os.path.join(a.work, "tokenizer.json")))["model"]["vocab"]
    cfg = CONFIGS[a.config]
    T = cfg["max_tokens"]
    model = GPT(len(vocab), **cfg).to(DEVICE)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.95), weight_decay=0.1)
    ckpt_path = os.path.join(a.work, "ckpt.pt")
    state = {"step": 0, "tokens": 0, "seconds": 0.0, "budget_s": a.minutes * 60, "log": []}
    if a.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=DEVICE)
        model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"]); state = ck["state"]
        state["budget_s"] += a.minutes * 60  # a resumed run extends the schedule
        rng = np.random.default_rng(state["step"])
    train, val = load(a.work, "train"), load(a.work, "val")
    print(f"params {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M; train tokens "
          + ", ".join(f"{k} {len(v) / 1e6:.1f} M" for k, v in train.items()), flush=True)
    last_save = time.time()
    t_start = time.time() - state["seconds"]
    while state["seconds"] < state["budget_s"]:
        frac = state["seconds"] / state["budget_s"]
        # linear warm-up, then cosine decay over the time budget to 10%
        lr = a.lr * min(1.0, (state["step"] + 1) / 100) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch(train, rng, a.batch, T)
        loss = F.cross_entropy(model(x).reshape(-1, len(vocab)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["tokens"] += x.numel()
        state["seconds"] = time.time() - t_start
        if state["step"] % 10 == 0:
            print(f"step {state['step']} tokens {state['tokens'] / 1e6:.2f} M loss {loss.item():.3f} lr {lr:.2e} "
                  f"{state['tokens'] / state['seconds']:.0f} tok/s", flush=True)
        if state["step"] % a.eval_every == 0:
            ppl = evaluate(model, val, T, 8)
            state["log"].append({"step": state["step"], "tokens": state["tokens"], "seconds": round(state["seconds"]),
                                 "val_ppl": ppl})
            print("val ppl", json.dumps(ppl), flush=True)
        if time.time() - last_save > 300 or state["seconds"] >= state["budget_s"]:
            save(model, opt, state, a, ckpt_path); last_save = time.time()
    state["final_val_ppl"] = evaluate(model, val, T)
    print("final val ppl", json.dumps(state["final_val_ppl"]), flush=True)
    save(model, opt, state, a, ckpt_path)


def save(model, opt, state, a, path):
    where = torch.cuda.get_device_name() if DEVICE == "cuda" else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    state["hardware"] = f"{where}, torch {torch.__version__}"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "cfg": model.cfg}, path + ".tmp")
    os.replace(path + ".tmp", path)  # never leave a half-written checkpoint


if __name__ == "__main__":
    main()
