"""Decoder-only transformer whose attention is computed explicitly, so that the ONNX export can
return each layer's attention probabilities (and the queries and keys that produced them)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # the smoke test's size: trains in seconds
    "tiny": dict(n_layer=2, n_head=2, d_model=64, max_tokens=128),
    # the bundled default: ~3.4 M parameters, under 16 MB as fp32 ONNX
    "default": dict(n_layer=4, n_head=6, d_model=192, max_tokens=512),
    # the bundled encoder: same shape; its larger vocabulary keeps prose words whole
    "encoder": dict(n_layer=4, n_head=6, d_model=192, max_tokens=512),
    # what a GPU machine trains in its 9 minutes (gpu_train.sh); 2 more layers still fit the .vsix budget
    "large": dict(n_layer=6, n_head=6, d_model=192, max_tokens=512),
}


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.hd = h, d // h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.fc = nn.Linear(d, 4 * d)
        self.out = nn.Linear(4 * d, d)

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q, k, v = (t.view(B, T, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
        # softmax(QK^T / sqrt(d_k)) with a causal mask: the numbers the extension shows
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd)
        att = F.softmax(scores + mask, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, D)
        x = x + self.proj(y)
        x = x + self.out(F.gelu(self.fc(self.ln2(x))))
        return x, att, q, k


class GPT(nn.Module):
    """causal=True: a decoder (each token sees itself and earlier ones); False: a bidirectional encoder
    (every token sees the whole input), trained with masked-language modelling."""

    def __init__(self, vocab_size, n_layer, n_head, d_model, max_tokens, causal=True):
        super().__init__()
        self.causal = causal
        self.cfg = dict(vocab_size=vocab_size, n_layer=n_layer, n_head=n_head, d_model=d_model, max_tokens=max_tokens,
                        causal=causal)
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(max_tokens, d_model)
        self.blocks = nn.ModuleList([Block(d_model, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.apply(self._init)
        for b in self.blocks:  # GPT-2's scaled init of residual projections
            nn.init.normal_(b.proj.weight, std=0.02 / math.sqrt(2 * n_layer))
            nn.init.normal_(b.out.weight, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, ids, with_attention=False):
        x, atts, qs, ks = self.hidden(ids, with_attention)
        # logits through the (tied) token embedding
        logits = self.ln_f(x) @ self.wte.weight.t()
        return (logits, atts, qs, ks) if with_attention else logits

    def logits_at(self, x, idx):
        """Logits only at flat positions idx of hidden states x (masked-LM training needs ~15% of them)."""
        return self.ln_f(x.reshape(-1, x.shape[-1])[idx]) @ self.wte.weight.t()

    def hidden(self, ids, with_attention=False, upto=None):
        B, T = ids.shape
        pos = torch.arange(T, device=ids.device)
        x = self.wte(ids) + self.wpe(pos)[None]
        # additive causal mask: -inf above the diagonal, so later tokens get exactly 0 weight; none in an encoder
        mask = (torch.triu(torch.full((T, T), float("-inf"), device=ids.device), diagonal=1) if self.causal
                else torch.zeros((T, T), device=ids.device))
        atts, qs, ks = [], [], []
        for i, b in enumerate(self.blocks[:upto]):
            x, a, q, k = b(x, mask)
            if with_attention:
                atts.append(a); qs.append(q); ks.append(k)
        return x, atts, qs, ks
