#!/usr/bin/env python3
"""Exports a tiny decoder-only language model with torch.onnx.export, as a *foreign* ONNX file for ortune's tests.

Foreign means: not built by ortune.  Its names are whatever PyTorch's exporter makes of the module tree
(node names such as /layers.0/attn/q_proj/MatMul, weights such as onnx::MatMul_123 or layers.0.attn.q_proj.bias),
its ops are the exporter's (LayerNormalization, Erf-GELU, Trilu-free causal mask from a sliced buffer), and it
carries no ortune metadata.  Inputs input_ids [batch, seq] int64 and attention_mask [batch, seq] int64; output
logits [batch, seq, vocab] float32.  Dynamic batch and sequence axes.

Writes (default OUT = training/src/test/resources/golden/foreign):
  OUT/tiny_decoder.onnx         the exported model (seeded random weights)
  OUT/tiny_decoder_ids.npy      a fixed [2, 12] int64 input (second row left... right-padded by 3)
  OUT/tiny_decoder_mask.npy     its attention mask
  OUT/tiny_decoder_logits.npy   PyTorch's float32 logits for it

Run from the repository root with Debian's PyTorch:  /usr/bin/python3 tools/foreign_decoder.py
Ends with 'N passed, M failed'.
"""
import argparse
import math
import os

import numpy as np
import torch
from torch import nn

VOCAB, DIM, LAYERS, HEADS, POSITIONS, HIDDEN = 512, 48, 2, 4, 64, 128


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(DIM, DIM)
        self.k_proj = nn.Linear(DIM, DIM)
        self.v_proj = nn.Linear(DIM, DIM)
        self.o_proj = nn.Linear(DIM, DIM)
        self.register_buffer("causal", torch.tril(torch.ones(POSITIONS, POSITIONS)), persistent=False)

    def forward(self, x, pad_bias):
        b, t, _ = x.shape
        hd = DIM // HEADS
        q = self.q_proj(x).view(b, t, HEADS, hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, HEADS, hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, HEADS, hd).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        causal = self.causal[:t, :t]
        scores = scores + (1.0 - causal) * -1e9 + pad_bias
        probs = torch.softmax(scores, dim=-1)
        y = (probs @ v).transpose(1, 2).reshape(b, t, DIM)
        return self.o_proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM)
        self.attn = Attention()
        self.norm2 = nn.LayerNorm(DIM)
        self.fc1 = nn.Linear(DIM, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, DIM)

    def forward(self, x, pad_bias):
        x = x + self.attn(self.norm1(x), pad_bias)
        return x + self.fc2(torch.nn.functional.gelu(self.fc1(self.norm2(x))))


class TinyDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, DIM)
        self.pos = nn.Embedding(POSITIONS, DIM)
        self.layers = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.norm = nn.LayerNorm(DIM)
        self.lm_head = nn.Linear(DIM, VOCAB, bias=False)

    def forward(self, input_ids, attention_mask):
        t = input_ids.shape[1]
        positions = torch.arange(t, dtype=torch.long).unsqueeze(0)
        x = self.tok(input_ids) + self.pos(positions)
        pad_bias = (1.0 - attention_mask.to(torch.float32))[:, None, None, :] * -1e9
        for layer in self.layers:
            x = layer(x, pad_bias)
        return self.lm_head(self.norm(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="training/src/test/resources/golden/foreign")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(1234)
    model = TinyDecoder().eval()
    with torch.no_grad():
        for p in model.parameters():  # larger than default init so logits are not nearly uniform
            p.mul_(2.0)
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(0, VOCAB, (2, 12), generator=g)
    mask = torch.ones(2, 12, dtype=torch.long)
    mask[1, 9:] = 0
    with torch.no_grad():
        logits = model(ids, mask)
    path = os.path.join(args.out, "tiny_decoder.onnx")
    torch.onnx.export(model, (ids, mask), path, input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=17,
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch", 1: "sequence"}})
    np.save(os.path.join(args.out, "tiny_decoder_ids.npy"), ids.numpy().astype(np.int64))
    np.save(os.path.join(args.out, "tiny_decoder_mask.npy"), mask.numpy().astype(np.int64))
    np.save(os.path.join(args.out, "tiny_decoder_logits.npy"), logits.numpy().astype(np.float32))
    passed = failed = 0
    with torch.no_grad():
        alone = model(ids[1:, :9], mask[1:, :9])
    err = (alone[0] - logits[1, :9]).abs().max().item()
    if err <= 1e-4:
        passed += 1
    else:
        failed += 1
    print(f"padded row == the same tokens alone: max |diff| {err:.2e}")
    spread = logits.std().item()
    (passed, failed) = (passed + 1, failed) if spread > 0.5 else (passed, failed + 1)
    print(f"logits std {spread:.3f} (> 0.5: not near-uniform)")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    print(f"{passed} passed, {failed} failed")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
