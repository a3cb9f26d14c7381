#!/usr/bin/env python3
"""Tokens per second of one training step (forward, backward, AdamW) of a recipe configuration, for choosing
threads and batch shapes before a long run. Usage: bench_step.py [--config default] [--threads 1 2] [--steps 3]
Measured here (4 x 6 heads, 8,192 tokens, load average 25-30 from other jobs on the 2 cores): 2 threads
62-106 tokens/s, 1 thread 206-230 tokens/s at 7 x 512 tokens: oversubscribed OpenMP threads spin against each
other, so on a busy machine one thread per training process is faster."""
import argparse, sys, os, time
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import GPT, CONFIGS

ap = argparse.ArgumentParser()
ap.add_argument("--config", default="default", choices=list(CONFIGS))
ap.add_argument("--vocab", type=int, default=8192)
ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
ap.add_argument("--steps", type=int, default=3)
a = ap.parse_args()
cfg = CONFIGS[a.config]
for n in a.threads:
    torch.set_num_threads(n)
    m = GPT(a.vocab, **cfg)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4)
    for B, T in ((7, cfg["max_tokens"]), (16, 128)):
        x = torch.randint(0, a.vocab, (B, T))
        rates = []
        for _ in range(a.steps):
            t = time.time()
            loss = F.cross_entropy(m(x).reshape(-1, a.vocab), x.reshape(-1))
            opt.zero_grad(); loss.backward(); opt.step()
            rates.append(B * T / (time.time() - t))
        print(f"threads {n}, batch {B} x {T}: {max(rates):.0f} tokens/s (best of {a.steps})", flush=True)
