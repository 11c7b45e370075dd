#!/usr/bin/env python3
"""Independent PyTorch reference for ortune's golden test fixtures.

Written for clarity, not speed.  Needs only torch + numpy + the standard library
(no `transformers`, no `safetensors` package, no network).

What is in here
---------------
* safetensors writer / reader (`save_safetensors`, `load_safetensors`).
* GPT-2 forward exactly as Hugging Face `GPT2LMHeadModel` computes it
  (`gpt2_forward`), optional KV cache.
* Llama forward exactly as Hugging Face `LlamaForCausalLM` computes it
  (`llama_forward`): RMSNorm in fp32-or-wider, rotary embeddings with the HF
  `rotate_half` convention, rope_scaling `linear` and `llama3`, grouped-query
  attention (repeat_kv), SwiGLU MLP, tied or untied LM head, optional KV cache.
* llama2.c forward written the way llama2.c's own `model.py` does it
  (`llama2c_forward`): interleaved-pair complex RoPE, deliberately independent of
  the HF rotate_half path, for the stories260K checkpoint.
* HF causal-LM loss (`causal_lm_loss`).
* Fixture generation + internal consistency checks (`main`).

Numerics: every reference value is computed in float64 from float32 parameters
(the exact values stored in the fixture files) and stored as float32.  The
script also runs the same forward in float32 and asserts it stays within 1e-5 of
the float64 result, so a correct fp32 implementation can match within 1e-4.

Usage:
    /usr/bin/python3 tools/torch_reference.py --out models/src/test/resources/golden \
        --train-out training/src/test/resources/golden
    /usr/bin/python3 tools/torch_reference.py --check      # checks only, writes nothing
    /usr/bin/python3 tools/torch_reference.py --verify     # recompute, compare with files on disk
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STORIES_BIN = os.path.join(REPO, "testdata", "models", "stories260K.bin")
DEFAULT_OUT = os.path.join(REPO, "models", "src", "test", "resources", "golden")
DEFAULT_TRAIN_OUT = os.path.join(REPO, "training", "src", "test", "resources", "golden")
REF = torch.float64  # dtype in which references are computed

# =============================================================================
# safetensors
# =============================================================================

_ST_DTYPES = {
    torch.float64: ("F64", np.dtype("<f8")),
    torch.float32: ("F32", np.dtype("<f4")),
    torch.float16: ("F16", np.dtype("<f2")),
    torch.bfloat16: ("BF16", np.dtype("<u2")),  # raw bits
    torch.int64: ("I64", np.dtype("<i8")),
    torch.int32: ("I32", np.dtype("<i4")),
    torch.int16: ("I16", np.dtype("<i2")),
    torch.int8: ("I8", np.dtype("i1")),
    torch.uint8: ("U8", np.dtype("u1")),
    torch.bool: ("BOOL", np.dtype("u1")),
}
_ST_BY_NAME = {name: (tdt, ndt) for tdt, (name, ndt) in _ST_DTYPES.items()}


def save_safetensors(path, tensors, metadata=None):
    """Writes a safetensors file.

    Layout: 8-byte little-endian unsigned header length N, then N bytes of JSON
    (padded with spaces to a multiple of 8, as the reference Rust implementation
    does), then the raw little-endian tensor data.  Tensors are sorted by name,
    both in the header and in the data region, and are packed back to back.
    `metadata` (str -> str) goes under `__metadata__`.
    """
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        st_name, np_dtype = _ST_DTYPES[t.dtype]
        if t.dtype == torch.bfloat16:
            arr = t.view(torch.int16).numpy().view(np.uint16)
        elif t.dtype == torch.bool:
            arr = t.numpy().astype(np.uint8)
        else:
            arr = t.numpy()
        data = np.ascontiguousarray(arr.astype(np_dtype, copy=False)).tobytes()
        header[name] = {"dtype": st_name, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((-len(hbytes)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    """Reads a safetensors file; returns (dict name -> torch.Tensor, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f"{path}: header length {n} exceeds file size {len(raw)}")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    out = {}
    spans = []
    for name, e in header.items():
        tdt, ndt = _ST_BY_NAME[e["dtype"]]
        start, end = e["data_offsets"]
        shape = e["shape"]
        count = int(np.prod(shape)) if shape else 1
        if not (0 <= start <= end <= len(data)) or end - start != count * ndt.itemsize:
            raise ValueError(f"{path}: bad data_offsets {e['data_offsets']} for {name}")
        spans.append((start, end, name))
        arr = np.frombuffer(data[start:end], dtype=ndt).reshape(shape).copy()
        if tdt == torch.bfloat16:
            t = torch.from_numpy(arr.view(np.int16)).view(torch.bfloat16)
        elif tdt == torch.bool:
            t = torch.from_numpy(arr.astype(bool))
        else:
            t = torch.from_numpy(arr)
        out[name] = t
    spans.sort()
    for (s0, e0, n0), (s1, e1, n1) in zip(spans, spans[1:]):
        if s1 < e0:
            raise ValueError(f"{path}: {n0} and {n1} overlap")
    return out, metadata


# =============================================================================
# small shared pieces
# =============================================================================

def layer_norm(x, weight, bias, eps):
    """torch.nn.LayerNorm: biased variance over the last axis."""
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def gelu_new(x):
    """HF `gelu_new` (= GPT-2's original GELU, tanh approximation)."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return x * torch.sigmoid(x)


def softmax_last(x):
    x = x - x.amax(-1, keepdim=True)
    e = torch.exp(x)
    return e / e.sum(-1, keepdim=True)


def attention_bias(batch, q_len, past_len, attention_mask, dtype):
    """Additive attention bias [B, 1, q_len, past_len + q_len], the HF way.

    Key j is visible to query i (absolute index past_len + i) iff j <= past_len + i
    (causal) and attention_mask[b, j] == 1 (padding).  Invisible entries get the
    most negative finite value of `dtype` (as HF's eager attention does), so a
    query whose keys are all invisible gets a finite, meaningless row instead of NaN.
    """
    k_len = past_len + q_len
    qi = torch.arange(q_len).view(q_len, 1) + past_len
    kj = torch.arange(k_len).view(1, k_len)
    visible = (kj <= qi).view(1, 1, q_len, k_len).expand(batch, 1, q_len, k_len)
    if attention_mask is not None:
        am = torch.as_tensor(attention_mask).bool()
        assert am.shape == (batch, k_len), (am.shape, batch, k_len)
        visible = visible & am.view(batch, 1, 1, k_len)
    bias = torch.zeros(batch, 1, q_len, k_len, dtype=dtype)
    return bias.masked_fill(~visible, torch.finfo(dtype).min)


def default_position_ids(batch, q_len, past_len=0):
    return (torch.arange(q_len) + past_len).view(1, q_len).expand(batch, q_len)


def left_pad_position_ids(attention_mask):
    """Positions for (left-)padded rows: cumsum(mask) - 1, clipped at 0.

    Real tokens are numbered 0, 1, 2, ... from the first real token; pad slots get 0
    (HF generate() writes 1 there instead; pad slots never influence real tokens,
    so the choice does not matter for any compared value).
    """
    am = torch.as_tensor(attention_mask).long()
    return (am.cumsum(-1) - 1).clamp(min=0)


# =============================================================================
# GPT-2 (HF GPT2LMHeadModel)
# =============================================================================

def gpt2_forward(p, cfg, input_ids, attention_mask=None, position_ids=None, past=None, dtype=REF):
    """Logits [B, T, vocab] of HF GPT2LMHeadModel (eval mode, no dropout).

    p: dict of HF parameter names -> tensors (cast to `dtype` here).
    past: None or a list (per layer) of (k, v) [B, H, T_past, head_dim]; when given,
          `attention_mask` must cover past + current tokens.
    Returns (logits, new_past).
    """
    w = {k: v.to(dtype) for k, v in p.items()}
    ids = torch.as_tensor(input_ids)
    B, T = ids.shape
    E, H = cfg["n_embd"], cfg["n_head"]
    hd = E // H
    eps = cfg["layer_norm_epsilon"]
    past_len = 0 if past is None else past[0][0].shape[2]
    if position_ids is None:
        position_ids = default_position_ids(B, T, past_len)
    pos = torch.as_tensor(position_ids)

    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][pos]
    bias = attention_bias(B, T, past_len, attention_mask, dtype)
    new_past = []
    for i in range(cfg["n_layer"]):
        pre = f"transformer.h.{i}."
        # --- attention block (pre-LN) ---
        h = layer_norm(x, w[pre + "ln_1.weight"], w[pre + "ln_1.bias"], eps)
        # Conv1D: y = x @ W + b with W stored [in, out]
        qkv = h @ w[pre + "attn.c_attn.weight"] + w[pre + "attn.c_attn.bias"]
        q, k, v = qkv.split(E, dim=-1)
        q, k, v = (t.view(B, T, H, hd).transpose(1, 2) for t in (q, k, v))  # [B, H, T, hd]
        if past is not None:
            k = torch.cat([past[i][0], k], dim=2)
            v = torch.cat([past[i][1], v], dim=2)
        new_past.append((k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        a = softmax_last(scores) @ v  # [B, H, T, hd]
        a = a.transpose(1, 2).reshape(B, T, E)
        x = x + a @ w[pre + "attn.c_proj.weight"] + w[pre + "attn.c_proj.bias"]
        # --- MLP block (pre-LN) ---
        h = layer_norm(x, w[pre + "ln_2.weight"], w[pre + "ln_2.bias"], eps)
        h = gelu_new(h @ w[pre + "mlp.c_fc.weight"] + w[pre + "mlp.c_fc.bias"])
        x = x + h @ w[pre + "mlp.c_proj.weight"] + w[pre + "mlp.c_proj.bias"]
    x = layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    logits = x @ w["transformer.wte.weight"].T  # LM head tied to wte
    return logits, new_past


def gpt2_config(vocab=96, n_positions=32, n_embd=32, n_layer=2, n_head=4, initializer_range=0.02):
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": vocab,
        "n_positions": n_positions,
        "n_ctx": n_positions,
        "n_embd": n_embd,
        "n_layer": n_layer,
        "n_head": n_head,
        "n_inner": None,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "initializer_range": initializer_range,
        "scale_attn_weights": True,
        "tie_word_embeddings": True,
        "bos_token_id": 0,
        "eos_token_id": 0,
        "torch_dtype": "float32",
    }


def gpt2_init(cfg, seed):
    """HF-style init (normal(0, initializer_range); c_proj scaled by 1/sqrt(2*n_layer)),
    except LayerNorm weights = 1 + N(0, 0.1) and all biases ~ N(0, 0.02) so that
    neither is trivially 1 or 0.  float32."""
    g = torch.Generator().manual_seed(seed)
    std = cfg["initializer_range"]
    E, L, V, P = cfg["n_embd"], cfg["n_layer"], cfg["vocab_size"], cfg["n_positions"]
    inner = cfg.get("n_inner") or 4 * E

    def normal(*shape, s=std):
        return torch.randn(*shape, generator=g, dtype=torch.float32) * s

    p = {"transformer.wte.weight": normal(V, E), "transformer.wpe.weight": normal(P, E)}
    proj_std = std / math.sqrt(2 * L)
    for i in range(L):
        pre = f"transformer.h.{i}."
        p[pre + "ln_1.weight"] = 1 + normal(E, s=0.1)
        p[pre + "ln_1.bias"] = normal(E)
        p[pre + "attn.c_attn.weight"] = normal(E, 3 * E)
        p[pre + "attn.c_attn.bias"] = normal(3 * E)
        p[pre + "attn.c_proj.weight"] = normal(E, E, s=proj_std)
        p[pre + "attn.c_proj.bias"] = normal(E)
        p[pre + "ln_2.weight"] = 1 + normal(E, s=0.1)
        p[pre + "ln_2.bias"] = normal(E)
        p[pre + "mlp.c_fc.weight"] = normal(E, inner)
        p[pre + "mlp.c_fc.bias"] = normal(inner)
        p[pre + "mlp.c_proj.weight"] = normal(inner, E, s=proj_std)
        p[pre + "mlp.c_proj.bias"] = normal(E)
    p["transformer.ln_f.weight"] = 1 + normal(E, s=0.1)
    p["transformer.ln_f.bias"] = normal(E)
    return p


# =============================================================================
# Llama (HF LlamaForCausalLM)
# =============================================================================

def rope_inv_freq(cfg, dtype=REF):
    """inv_freq [head_dim/2] and attention scaling, as HF's ROPE_INIT_FUNCTIONS compute them."""
    hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    base = cfg.get("rope_theta", 10000.0)
    inv_freq = 1.0 / (base ** (torch.arange(0, hd, 2, dtype=torch.int64).to(dtype) / hd))
    rs = cfg.get("rope_scaling")
    rtype = None if rs is None else rs.get("rope_type", rs.get("type"))
    if rtype in (None, "default"):
        return inv_freq, 1.0
    if rtype == "linear":
        # HF _compute_linear_scaling_rope_parameters: inv_freq / factor
        # (same as dividing the positions by factor)
        return inv_freq / rs["factor"], 1.0
    if rtype == "llama3":
        # HF _compute_llama3_parameters
        factor = rs["factor"]
        low_freq_factor = rs["low_freq_factor"]
        high_freq_factor = rs["high_freq_factor"]
        old_context_len = rs["original_max_position_embeddings"]
        low_freq_wavelen = old_context_len / low_freq_factor
        high_freq_wavelen = old_context_len / high_freq_factor
        wavelen = 2 * math.pi / inv_freq
        # wavelen < high_freq_wavelen: unchanged; wavelen > low_freq_wavelen: / factor
        inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
        # otherwise: smooth interpolation between the two
        smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
        is_medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
        return torch.where(is_medium, smoothed, inv_freq_llama), 1.0
    raise NotImplementedError(f"rope_scaling {rtype}")


def rotate_half(x):
    """HF convention: split the head in two halves, (x1, x2) -> (-x2, x1)."""
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rms_norm_hf(x, weight, eps):
    """HF LlamaRMSNorm: statistics in (at least) fp32, weight applied after casting back."""
    in_dtype = x.dtype
    xf = x.to(torch.float32) if x.dtype in (torch.float16, torch.bfloat16) else x
    xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return weight * xf.to(in_dtype)


def repeat_kv(x, n_rep):
    """[B, KV, T, hd] -> [B, KV*n_rep, T, hd]; query head h uses kv head h // n_rep."""
    B, KV, T, hd = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(B, KV, n_rep, T, hd).reshape(B, KV * n_rep, T, hd)


def llama_forward(p, cfg, input_ids, attention_mask=None, position_ids=None, past=None, dtype=REF):
    """Logits [B, T, vocab] of HF LlamaForCausalLM (eval, eager attention). Returns (logits, new_past)."""
    w = {k: v.to(dtype) for k, v in p.items()}
    ids = torch.as_tensor(input_ids)
    B, T = ids.shape
    D = cfg["hidden_size"]
    H = cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = cfg.get("head_dim") or D // H
    eps = cfg["rms_norm_eps"]
    past_len = 0 if past is None else past[0][0].shape[2]
    if position_ids is None:
        position_ids = default_position_ids(B, T, past_len)
    pos = torch.as_tensor(position_ids).to(dtype)

    inv_freq, att_scale = rope_inv_freq(cfg, dtype)
    freqs = pos[:, :, None] * inv_freq[None, None, :]  # [B, T, hd/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [B, T, hd]
    cos = (emb.cos() * att_scale)[:, None, :, :]  # broadcast over heads
    sin = (emb.sin() * att_scale)[:, None, :, :]

    x = w["model.embed_tokens.weight"][ids]
    bias = attention_bias(B, T, past_len, attention_mask, dtype)
    new_past = []
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        h = rms_norm_hf(x, w[pre + "input_layernorm.weight"], eps)
        q = (h @ w[pre + "self_attn.q_proj.weight"].T).view(B, T, H, hd).transpose(1, 2)
        k = (h @ w[pre + "self_attn.k_proj.weight"].T).view(B, T, KV, hd).transpose(1, 2)
        v = (h @ w[pre + "self_attn.v_proj.weight"].T).view(B, T, KV, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat([past[i][0], k], dim=2)
            v = torch.cat([past[i][1], v], dim=2)
        new_past.append((k, v))  # cached after RoPE, before repeat_kv (as HF does)
        k, v = repeat_kv(k, H // KV), repeat_kv(v, H // KV)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + bias
        a = (softmax_last(scores) @ v).transpose(1, 2).reshape(B, T, H * hd)
        x = x + a @ w[pre + "self_attn.o_proj.weight"].T
        h = rms_norm_hf(x, w[pre + "post_attention_layernorm.weight"], eps)
        gate = h @ w[pre + "mlp.gate_proj.weight"].T
        up = h @ w[pre + "mlp.up_proj.weight"].T
        x = x + (silu(gate) * up) @ w[pre + "mlp.down_proj.weight"].T
    x = rms_norm_hf(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return x @ head.T, new_past


def llama_config(vocab=128, hidden=32, intermediate=64, layers=2, heads=4, kv_heads=2, rope_theta=10000.0,
                 eps=1e-5, max_pos=64, rope_scaling=None, tie=False, initializer_range=0.02):
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": vocab,
        "hidden_size": hidden,
        "intermediate_size": intermediate,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
        "head_dim": hidden // heads,
        "hidden_act": "silu",
        "max_position_embeddings": max_pos,
        "rms_norm_eps": eps,
        "rope_theta": rope_theta,
        "rope_scaling": rope_scaling,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "mlp_bias": False,
        "tie_word_embeddings": tie,
        "initializer_range": initializer_range,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "torch_dtype": "float32",
    }


def llama_init(cfg, seed):
    """HF-style init: every Linear and the embedding ~ N(0, initializer_range);
    RMSNorm weights = 1 + N(0, 0.1) so they aren't trivially 1.  float32."""
    g = torch.Generator().manual_seed(seed)
    std = cfg["initializer_range"]
    D, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg["head_dim"]

    def normal(*shape, s=std):
        return torch.randn(*shape, generator=g, dtype=torch.float32) * s

    p = {"model.embed_tokens.weight": normal(V, D)}
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        p[pre + "input_layernorm.weight"] = 1 + normal(D, s=0.1)
        p[pre + "self_attn.q_proj.weight"] = normal(H * hd, D)
        p[pre + "self_attn.k_proj.weight"] = normal(KV * hd, D)
        p[pre + "self_attn.v_proj.weight"] = normal(KV * hd, D)
        p[pre + "self_attn.o_proj.weight"] = normal(D, H * hd)
        p[pre + "post_attention_layernorm.weight"] = 1 + normal(D, s=0.1)
        p[pre + "mlp.gate_proj.weight"] = normal(I, D)
        p[pre + "mlp.up_proj.weight"] = normal(I, D)
        p[pre + "mlp.down_proj.weight"] = normal(D, I)
    p["model.norm.weight"] = 1 + normal(D, s=0.1)
    if not cfg["tie_word_embeddings"]:
        p["lm_head.weight"] = normal(V, D)
    return p


# =============================================================================
# llama2.c (karpathy/llama2.c model.py), stories260K
# =============================================================================

def load_llama2c_bin(path):
    """Reads a legacy (version 0) llama2.c checkpoint.

    Returns (cfg, params) with params named as in llama2.c's model.py
    (tok_embeddings.weight, layers.{i}.attention.wq.weight, ...).
    """
    with open(path, "rb") as f:
        raw = f.read()
    dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len = struct.unpack("<7i", raw[:28])
    shared = vocab_size > 0
    vocab_size = abs(vocab_size)
    data = np.frombuffer(raw, dtype="<f4", offset=28)
    hs = dim // n_heads
    kv_dim = n_kv_heads * hs
    off = 0

    def take(*shape):
        nonlocal off
        n = int(np.prod(shape))
        t = torch.from_numpy(data[off:off + n].copy()).view(*shape)
        off += n
        return t

    p = {"tok_embeddings.weight": take(vocab_size, dim)}
    per_layer = [
        ("attention_norm.weight", (dim,)),
        ("attention.wq.weight", (dim, dim)),
        ("attention.wk.weight", (kv_dim, dim)),
        ("attention.wv.weight", (kv_dim, dim)),
        ("attention.wo.weight", (dim, dim)),
        ("ffn_norm.weight", (dim,)),
        ("feed_forward.w1.weight", (hidden_dim, dim)),
        ("feed_forward.w2.weight", (dim, hidden_dim)),
        ("feed_forward.w3.weight", (hidden_dim, dim)),
    ]
    # llama2.c order: each kind for all layers, then the next kind
    for name, shape in per_layer:
        for i in range(n_layers):
            p[f"layers.{i}.{name}"] = take(*shape)
    p["norm.weight"] = take(dim)
    freq_cis = (take(seq_len, hs // 2), take(seq_len, hs // 2))  # legacy RoPE tables: kept, never used
    if not shared:
        p["output.weight"] = take(vocab_size, dim)
    if off != data.size:
        raise ValueError(f"{path}: {data.size - off} trailing floats")
    cfg = dict(dim=dim, hidden_dim=hidden_dim, n_layers=n_layers, n_heads=n_heads, n_kv_heads=n_kv_heads,
               vocab_size=vocab_size, max_seq_len=seq_len, norm_eps=1e-5, rope_theta=10000.0,
               shared_classifier=shared, legacy_freq_cis=freq_cis)
    return cfg, p


def llama2c_precompute_freqs_cis(dim, end, theta, dtype):
    """model.py precompute_freqs_cis: angle (t * theta^(-2i/dim)) for pair i."""
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: (dim // 2)].to(dtype) / dim))
    t = torch.arange(end, dtype=dtype)
    freqs = torch.outer(t, freqs)
    return torch.cos(freqs), torch.sin(freqs)


def llama2c_apply_rotary_emb(x, cos, sin):
    """model.py apply_rotary_emb: consecutive pairs (x[2i], x[2i+1]) are the real and
    imaginary parts of a complex number, multiplied by exp(i * angle_i)."""
    xr, xi = x.reshape(x.shape[:-1] + (-1, 2)).unbind(-1)  # [B, T, H, hd/2]
    cos = cos[None, :, None, :]
    sin = sin[None, :, None, :]
    out_r = xr * cos - xi * sin
    out_i = xr * sin + xi * cos
    return torch.stack([out_r, out_i], dim=-1).flatten(3)


def llama2c_forward(p, cfg, tokens, start_pos=0, cache=None, dtype=REF):
    """Logits [B, T, vocab] for every position, computed the way llama2.c's model.py does
    (model.py itself returns only the last position at inference; the math is the same).

    cache: None (full sequence, positions 0..T-1) or a dict {layer: (k, v)} in
    [B, T_past, KV, hd] layout that is extended in place (positions start_pos..).
    """
    w = {k: v.to(dtype) for k, v in p.items()}
    tokens = torch.as_tensor(tokens)
    B, T = tokens.shape
    dim, n_heads, n_kv = cfg["dim"], cfg["n_heads"], cfg["n_kv_heads"]
    hd = dim // n_heads
    n_rep = n_heads // n_kv
    eps = cfg["norm_eps"]

    def rmsnorm(x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight

    cos, sin = llama2c_precompute_freqs_cis(hd, cfg["max_seq_len"], cfg["rope_theta"], dtype)
    cos, sin = cos[start_pos:start_pos + T], sin[start_pos:start_pos + T]

    h = w["tok_embeddings.weight"][tokens]
    for i in range(cfg["n_layers"]):
        pre = f"layers.{i}."
        x = rmsnorm(h, w[pre + "attention_norm.weight"])
        xq = (x @ w[pre + "attention.wq.weight"].T).view(B, T, n_heads, hd)
        xk = (x @ w[pre + "attention.wk.weight"].T).view(B, T, n_kv, hd)
        xv = (x @ w[pre + "attention.wv.weight"].T).view(B, T, n_kv, hd)
        xq = llama2c_apply_rotary_emb(xq, cos, sin)
        xk = llama2c_apply_rotary_emb(xk, cos, sin)
        if cache is not None:
            if i in cache:
                xk = torch.cat([cache[i][0], xk], dim=1)
                xv = torch.cat([cache[i][1], xv], dim=1)
            cache[i] = (xk, xv)
        S = xk.shape[1]
        # model.py repeat_kv: [B, S, KV, hd] -> [B, S, KV*n_rep, hd]
        xk = xk[:, :, :, None, :].expand(B, S, n_kv, n_rep, hd).reshape(B, S, n_heads, hd)
        xv = xv[:, :, :, None, :].expand(B, S, n_kv, n_rep, hd).reshape(B, S, n_heads, hd)
        xq, xk, xv = xq.transpose(1, 2), xk.transpose(1, 2), xv.transpose(1, 2)
        scores = xq @ xk.transpose(2, 3) / math.sqrt(hd)
        # causal mask with -inf (model.py); query t sits at absolute position start_pos + t
        qpos = torch.arange(T).view(T, 1) + (S - T)
        kpos = torch.arange(S).view(1, S)
        scores = scores.masked_fill(kpos > qpos, float("-inf"))
        out = (torch.softmax(scores, dim=-1) @ xv).transpose(1, 2).reshape(B, T, dim)
        h = h + out @ w[pre + "attention.wo.weight"].T
        x = rmsnorm(h, w[pre + "ffn_norm.weight"])
        ff = (F.silu(x @ w[pre + "feed_forward.w1.weight"].T) * (x @ w[pre + "feed_forward.w3.weight"].T))
        h = h + ff @ w[pre + "feed_forward.w2.weight"].T
    h = rmsnorm(h, w["norm.weight"])
    out_w = w["tok_embeddings.weight"] if cfg["shared_classifier"] else w["output.weight"]
    return h @ out_w.T


def llama2c_greedy(p, cfg, prompt, n_new, dtype=REF):
    """Greedy generation, full-sequence recompute each step (no cache); argmax ties -> lowest id.
    Returns (new ids, smallest top1-top2 logit margin seen)."""
    ids = list(prompt)
    margin = float("inf")
    for _ in range(n_new):
        logits = llama2c_forward(p, cfg, torch.tensor([ids]), dtype=dtype)[0, -1]
        top2 = torch.topk(logits, 2).values
        margin = min(margin, float(top2[0] - top2[1]))
        ids.append(int(torch.argmax(logits)))
    return ids[len(prompt):], margin


# llama2.c's doc/stories260K.md: greedy from BOS with the upstream checkpoint starts
# "Once upon a time, there was a little girl named Lily. She lo..." = these ids (tok512).
LLAMA2C_DOCUMENTED_GREEDY = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401]
SCRAMBLE_TRANSPOSES = 5


def unscramble_llama2c(p):
    """Repairs a stories260K.bin whose 2-D matrices were permuted by repeated in-place
    transposes (llama2.c forks ship a `transpose_weight` tool that does this).

    Each 2-D tensor (embedding included) of shape [rows, cols] is restored by taking its
    row-major buffer, transposing it as [rows, cols] and re-reading the result as
    [rows, cols], SCRAMBLE_TRANSPOSES times.  For a square matrix that is one transpose;
    for the others it is a fixed permutation of the buffer.  Checked against the published
    first/last values of the upstream tensors and the documented greedy output.
    """
    out = {}
    for k, v in p.items():
        if v.dim() == 2:
            rows, cols = v.shape
            x = v
            for _ in range(SCRAMBLE_TRANSPOSES):
                x = x.reshape(rows, cols).T.contiguous()
            out[k] = x.reshape(rows, cols)
        else:
            out[k] = v
    return out


def write_llama2c_bin(path, cfg, p):
    """Writes a legacy (version 0) llama2.c checkpoint (header, weights, RoPE tables)."""
    n = cfg["n_layers"]
    vocab = cfg["vocab_size"] if cfg["shared_classifier"] else -cfg["vocab_size"]
    parts = [p["tok_embeddings.weight"]]
    for name in ("attention_norm.weight", "attention.wq.weight", "attention.wk.weight", "attention.wv.weight",
                 "attention.wo.weight", "ffn_norm.weight", "feed_forward.w1.weight", "feed_forward.w2.weight",
                 "feed_forward.w3.weight"):
        parts += [p[f"layers.{i}.{name}"] for i in range(n)]
    parts.append(p["norm.weight"])
    if cfg.get("legacy_freq_cis") is not None:  # keep the original tables bit for bit
        parts += list(cfg["legacy_freq_cis"])
    else:
        parts += list(llama2c_precompute_freqs_cis(cfg["dim"] // cfg["n_heads"], cfg["max_seq_len"],
                                                   cfg["rope_theta"], torch.float32))
    if not cfg["shared_classifier"]:
        parts.append(p["output.weight"])
    with open(path, "wb") as f:
        f.write(struct.pack("<7i", cfg["dim"], cfg["hidden_dim"], n, cfg["n_heads"], cfg["n_kv_heads"], vocab,
                            cfg["max_seq_len"]))
        for t in parts:
            f.write(t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes())


def stories260k_status(p, cfg):
    """'upstream' if greedy from BOS reproduces llama2.c's documented output, 'scrambled' if it
    does so only after unscramble_llama2c, else 'unknown'."""
    n = len(LLAMA2C_DOCUMENTED_GREEDY)
    if llama2c_greedy(p, cfg, [1], n)[0] == LLAMA2C_DOCUMENTED_GREEDY:
        return "upstream"
    if llama2c_greedy(unscramble_llama2c(p), cfg, [1], n)[0] == LLAMA2C_DOCUMENTED_GREEDY:
        return "scrambled"
    return "unknown"


def llama2c_to_hf(p, cfg):
    """llama2.c -> HF Llama names, permuting wq/wk rows from interleaved pairs to
    rotate_half halves (the permutation in HF's convert_llama_weights_to_hf.py)."""
    dim, n_heads, n_kv = cfg["dim"], cfg["n_heads"], cfg["n_kv_heads"]
    hd = dim // n_heads

    def permute(wt, heads):
        rows = wt.shape[0]
        return wt.view(heads, hd // 2, 2, wt.shape[1]).transpose(1, 2).reshape(rows, wt.shape[1])

    hf = {"model.embed_tokens.weight": p["tok_embeddings.weight"], "model.norm.weight": p["norm.weight"]}
    for i in range(cfg["n_layers"]):
        s, d = f"layers.{i}.", f"model.layers.{i}."
        hf[d + "input_layernorm.weight"] = p[s + "attention_norm.weight"]
        hf[d + "self_attn.q_proj.weight"] = permute(p[s + "attention.wq.weight"], n_heads)
        hf[d + "self_attn.k_proj.weight"] = permute(p[s + "attention.wk.weight"], n_kv)
        hf[d + "self_attn.v_proj.weight"] = p[s + "attention.wv.weight"]
        hf[d + "self_attn.o_proj.weight"] = p[s + "attention.wo.weight"]
        hf[d + "post_attention_layernorm.weight"] = p[s + "ffn_norm.weight"]
        hf[d + "mlp.gate_proj.weight"] = p[s + "feed_forward.w1.weight"]
        hf[d + "mlp.down_proj.weight"] = p[s + "feed_forward.w2.weight"]
        hf[d + "mlp.up_proj.weight"] = p[s + "feed_forward.w3.weight"]
    hf_cfg = llama_config(vocab=cfg["vocab_size"], hidden=dim, intermediate=cfg["hidden_dim"],
                          layers=cfg["n_layers"], heads=n_heads, kv_heads=n_kv, rope_theta=cfg["rope_theta"],
                          eps=cfg["norm_eps"], max_pos=cfg["max_seq_len"], tie=cfg["shared_classifier"])
    if not cfg["shared_classifier"]:
        hf["lm_head.weight"] = p["output.weight"]
    return hf_cfg, hf


# =============================================================================
# loss
# =============================================================================

IGNORE_INDEX = -100


def causal_lm_loss(logits, labels):
    """HF causal-LM loss: logits at t predict labels[t+1]; mean cross-entropy over
    the shifted labels that are not -100 (labels[:, 0] is never used)."""
    V = logits.shape[-1]
    shift_logits = logits[:, :-1, :].reshape(-1, V)
    shift_labels = torch.as_tensor(labels)[:, 1:].reshape(-1)
    keep = shift_labels != IGNORE_INDEX
    logp = shift_logits - torch.logsumexp(shift_logits, dim=-1, keepdim=True)
    nll = -logp[keep].gather(1, shift_labels[keep].view(-1, 1)).squeeze(1)
    return nll.mean()


# =============================================================================
# checks
# =============================================================================

class Checks:
    def __init__(self):
        self.lines = []
        self.failed = 0

    def close(self, what, a, b, tol):
        d = float((torch.as_tensor(a, dtype=REF) - torch.as_tensor(b, dtype=REF)).abs().max())
        ok = d <= tol
        self.failed += not ok
        self.lines.append(f"{'ok  ' if ok else 'FAIL'} {what}: max|diff| = {d:.3g} (tol {tol:g})")
        return d

    def at_least(self, what, value, floor):
        ok = value >= floor
        self.failed += not ok
        self.lines.append(f"{'ok  ' if ok else 'FAIL'} {what}: {value:.3g} (must be >= {floor:g})")

    def true(self, what, cond, detail=""):
        self.failed += not cond
        self.lines.append(f"{'ok  ' if cond else 'FAIL'} {what}{(': ' + detail) if detail else ''}")

    def report(self):
        for ln in self.lines:
            print(ln)
        print(f"{len(self.lines) - self.failed} passed, {self.failed} failed")


def check_incremental(checks, name, forward, p, cfg, ids, mask, pos, full_logits):
    """Prefill the first half then decode one token at a time with the KV cache; must equal full recompute."""
    B, T = ids.shape
    split = T // 2
    logits0, past = forward(p, cfg, ids[:, :split], attention_mask=mask[:, :split], position_ids=pos[:, :split])
    parts = [logits0]
    for t in range(split, T):
        lt, past = forward(p, cfg, ids[:, t:t + 1], attention_mask=mask[:, :t + 1], position_ids=pos[:, t:t + 1],
                           past=past)
        parts.append(lt)
    inc = torch.cat(parts, dim=1)
    valid = mask.bool()
    checks.close(f"{name}: KV-cache incremental == full recompute (real positions)", inc[valid], full_logits[valid],
                 1e-10)


def check_left_pad_invariance(checks, name, forward, p, cfg, ids, mask, pos, full_logits):
    """A left-padded row's real positions must equal the same tokens run alone, unpadded."""
    for b in range(ids.shape[0]):
        keep = mask[b].bool()
        if keep.all():
            continue
        alone, _ = forward(p, cfg, ids[b:b + 1, keep])
        checks.close(f"{name}: left-padded row {b} == its tokens run alone", full_logits[b, keep], alone[0], 1e-10)


def check_grad_fd(checks, name, loss_fn, p, grads, picks, seed=0):
    """Central finite differences in float64 on a few entries of a few parameters."""
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    for pname in picks:
        for _ in range(2):
            idx = tuple(int(torch.randint(0, s, (1,), generator=g)) for s in p[pname].shape)
            eps = 1e-6
            plus = {k: v.to(REF).clone() for k, v in p.items()}
            minus = {k: v.to(REF).clone() for k, v in p.items()}
            plus[pname][idx] += eps
            minus[pname][idx] -= eps
            fd = (float(loss_fn(plus)) - float(loss_fn(minus))) / (2 * eps)
            an = float(grads[pname][idx])
            # central differences with step 1e-6 in float64: error ~1e-10 absolute
            worst = max(worst, abs(fd - an) / (1e-6 + abs(an)))
    checks.true(f"{name}: autograd == finite differences on {2 * len(picks)} entries (float64)", worst < 1e-4,
                f"worst |fd - autograd| / (1e-6 + |autograd|) = {worst:.2e}")


# =============================================================================
# fixture generation
# =============================================================================

def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def save_npy(path, t):
    np.save(path, t.detach().to(torch.float32).numpy().astype("<f4"))


INFER_CONVENTIONS = (
    "Row 0 is unpadded. Row 1 is left-padded: its first slots hold pad id 0 with attention_mask 0. "
    "Masked keys are excluded from attention (HF semantics) in addition to the causal mask. "
    "position_ids = clamp(cumsum(attention_mask) - 1, min 0), given explicitly in this file "
    "(row 0 is 0..T-1; in row 1 the first real token has position 0). "
    "logits.npy holds float32 [batch, seq, vocab] logits; at padded query slots (attention_mask 0) "
    "they are set to exactly 0 and must not be compared (HF leaves arbitrary values there). "
    "compare_mask marks the slots to compare (== attention_mask)."
)


def make_infer_inputs(vocab, seed, T=8, n_pad=3):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, vocab, (2, T), generator=g)
    mask = torch.ones(2, T, dtype=torch.int64)
    mask[1, :n_pad] = 0
    ids[1, :n_pad] = 0  # pad id
    pos = left_pad_position_ids(mask)
    return ids, mask, pos


def make_train_inputs(vocab, seed, T=8):
    """Batch 2 x T, labels = input_ids with -100 entries: row 0 masks its first 3
    labels (a 'prompt'), row 1 is right-padded by 2 (mask 0, label -100, pad id 0)."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, vocab, (2, T), generator=g)
    mask = torch.ones(2, T, dtype=torch.int64)
    mask[1, T - 2:] = 0
    ids[1, T - 2:] = 0
    labels = ids.clone()
    labels[0, :3] = IGNORE_INDEX
    labels[1, T - 2:] = IGNORE_INDEX
    return ids, mask, labels


def build_infer_fixture(checks, name, forward, cfg, p, seed, out_dir, readme_extra=""):
    ids, mask, pos = make_infer_inputs(cfg["vocab_size"], seed)
    logits, _ = forward(p, cfg, ids, attention_mask=mask, position_ids=pos)
    logits32, _ = forward(p, cfg, ids, attention_mask=mask, position_ids=pos, dtype=torch.float32)
    valid = mask.bool()
    checks.close(f"{name}: float32 forward vs float64 reference", logits32[valid], logits[valid], 1e-5)
    check_incremental(checks, name, forward, p, cfg, ids, mask, pos, logits)
    check_left_pad_invariance(checks, name, forward, p, cfg, ids, mask, pos, logits)
    # how much a mask that is ignored would change the real positions (fixture must discriminate)
    nomask, _ = forward(p, cfg, ids, position_ids=pos)
    checks.at_least(f"{name}: ignoring attention_mask changes row 1 by", float((nomask - logits)[valid].abs().max()),
                    1e-2)
    stored = logits.clone()
    stored[~valid] = 0.0
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        write_json(os.path.join(out_dir, "config.json"), cfg)
        save_safetensors(os.path.join(out_dir, "model.safetensors"), p, metadata={"format": "pt"})
        write_json(os.path.join(out_dir, "inputs.json"), {
            "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": pos.tolist(),
            "compare_mask": mask.tolist(), "pad_token_id": 0, "conventions": INFER_CONVENTIONS})
        save_npy(os.path.join(out_dir, "logits.npy"), stored)
    return ids, mask, pos, logits


def build_train_fixture(checks, name, forward, cfg, p, seed, out_dir, fd_picks):
    ids, mask, labels = make_train_inputs(cfg["vocab_size"], seed)

    def loss_fn(params, dtype=REF):
        logits, _ = forward(params, cfg, ids, attention_mask=mask, dtype=dtype)
        return causal_lm_loss(logits, labels)

    leaf = {k: v.to(REF).clone().requires_grad_(True) for k, v in p.items()}
    loss = loss_fn(leaf)
    loss.backward()
    grads = {k: v.grad.detach() for k, v in leaf.items()}
    # the mask must not matter (right padding + ignored labels)
    leaf2 = {k: v.to(REF).clone().requires_grad_(True) for k, v in p.items()}
    loss2 = causal_lm_loss(forward(leaf2, cfg, ids)[0], labels)
    loss2.backward()
    checks.close(f"{name} train: loss without attention_mask == with", loss2.detach(), loss.detach(), 1e-12)
    checks.close(f"{name} train: grads without attention_mask == with",
                 torch.cat([leaf2[k].grad.flatten() for k in sorted(p)]),
                 torch.cat([grads[k].flatten() for k in sorted(p)]), 1e-12)
    # against torch's own cross_entropy
    logits, _ = forward(p, cfg, ids)
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1),
                         ignore_index=IGNORE_INDEX)
    checks.close(f"{name} train: loss == F.cross_entropy(ignore_index=-100)", ce, loss.detach(), 1e-12)
    # fp32 run
    leaf32 = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    loss32 = loss_fn(leaf32, dtype=torch.float32)
    loss32.backward()
    checks.close(f"{name} train: float32 loss vs float64", loss32.detach(), loss.detach(), 1e-5)
    gmax = max(float(g.abs().max()) for g in grads.values())
    d32 = max(float((leaf32[k].grad.to(REF) - grads[k]).abs().max()) for k in p)
    checks.true(f"{name} train: float32 grads vs float64", d32 <= 1e-6,
                f"max|diff| = {d32:.3g} (largest |grad| {gmax:.3g})")
    check_grad_fd(checks, name, lambda pp: loss_fn(pp), p, grads, fd_picks)
    n_tok = int((labels[:, 1:] != IGNORE_INDEX).sum())
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        write_json(os.path.join(out_dir, "config.json"), cfg)
        save_safetensors(os.path.join(out_dir, "model.safetensors"), p, metadata={"format": "pt"})
        save_safetensors(os.path.join(out_dir, "grads.safetensors"), {k: v.to(torch.float32) for k, v in grads.items()},
                         metadata={"what": "d loss / d parameter", "dtype_computed": "float64"})
        write_json(os.path.join(out_dir, "inputs.json"), {
            "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
            "position_ids": default_position_ids(*ids.shape).tolist(), "pad_token_id": 0,
            "conventions": (
                "Row 1 is RIGHT-padded (attention_mask 0, label -100); with right padding the mask cannot "
                "change the loss or any gradient, so it may be ignored. position_ids are 0..T-1 for both "
                "rows. Loss: logits at position t predict labels[t+1] (labels[:, 0] is never used); mean "
                "of the cross-entropy over all shifted labels != -100 across the whole batch. "
                "No dropout.")})
        write_json(os.path.join(out_dir, "loss.json"), {
            "loss": float(loss), "loss_float32": float(np.float32(float(loss))),
            "num_label_tokens": n_tok, "reduction": "mean over non-ignored shifted labels",
            "ignore_index": IGNORE_INDEX, "computed_in": "float64"})
    return float(loss), grads


STORIES_PROMPT = [1, 403, 407, 261, 378]
STORIES_NEW = 40


def file_sha256(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build_stories_fixture(checks, name, cfg, p, out_dir, checkpoint_note):
    ids = torch.tensor([STORIES_PROMPT])
    logits = llama2c_forward(p, cfg, ids)
    logits32 = llama2c_forward(p, cfg, ids, dtype=torch.float32)
    # logits here reach |15|: fp32 rounding of that size is ~1e-5
    checks.close(f"{name}: float32 forward vs float64 reference", logits32, logits, 5e-5)
    # independent HF path (permuted wq/wk, rotate_half) must agree
    hf_cfg, hf = llama2c_to_hf(p, cfg)
    hf_logits, _ = llama_forward(hf, hf_cfg, ids)
    checks.close(f"{name}: HF rotate_half path on permuted weights == llama2.c path", hf_logits, logits, 1e-10)
    # without the permutation the HF path must be clearly wrong (the fixture discriminates)
    hf_np = dict(hf)
    for i in range(cfg["n_layers"]):
        hf_np[f"model.layers.{i}.self_attn.q_proj.weight"] = p[f"layers.{i}.attention.wq.weight"]
        hf_np[f"model.layers.{i}.self_attn.k_proj.weight"] = p[f"layers.{i}.attention.wk.weight"]
    bad, _ = llama_forward(hf_np, hf_cfg, ids)
    checks.at_least(f"{name}: forgetting the wq/wk permutation changes logits by", float((bad - logits).abs().max()),
                    1e-2)
    # incremental decoding with the llama2.c-style cache
    cache = {}
    parts = [llama2c_forward(p, cfg, ids[:, :2], start_pos=0, cache=cache)]
    for t in range(2, ids.shape[1]):
        parts.append(llama2c_forward(p, cfg, ids[:, t:t + 1], start_pos=t, cache=cache))
    checks.close(f"{name}: KV-cache incremental == full recompute", torch.cat(parts, 1), logits, 1e-10)

    new_ids, margin = llama2c_greedy(p, cfg, STORIES_PROMPT, STORIES_NEW)
    new32, _ = llama2c_greedy(p, cfg, STORIES_PROMPT, STORIES_NEW, dtype=torch.float32)
    checks.true(f"{name}: greedy ids identical in float32 and float64", new32 == new_ids)
    checks.true(f"{name}: greedy top1-top2 margin is safe for fp32", margin > 1e-3, f"min margin {margin:.4g}")
    # greedy with the HF path + cache must give the same ids
    seq = list(STORIES_PROMPT)
    lg, past = llama_forward(hf, hf_cfg, torch.tensor([seq]))
    for _ in range(STORIES_NEW):
        nxt = int(torch.argmax(lg[0, -1]))
        seq.append(nxt)
        lg, past = llama_forward(hf, hf_cfg, torch.tensor([[nxt]]), past=past)
    checks.true(f"{name}: greedy via HF path + KV cache == llama2.c full recompute",
                seq[len(STORIES_PROMPT):] == new_ids)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        write_json(os.path.join(out_dir, "inputs.json"), {
            "input_ids": [STORIES_PROMPT],
            "checkpoint": checkpoint_note,
            "conventions": "positions 0..T-1, causal attention, no padding; logits.npy is float32 [1, T, 512]"})
        save_npy(os.path.join(out_dir, "logits.npy"), logits)
        write_json(os.path.join(out_dir, "greedy.json"), {
            "prompt_ids": STORIES_PROMPT, "max_new_tokens": STORIES_NEW, "generated_ids": new_ids,
            "all_ids": STORIES_PROMPT + new_ids, "min_top1_top2_margin": margin,
            "conventions": ("Greedy (argmax, ties -> lowest id), exactly max_new_tokens tokens, no stop on "
                            "BOS/EOS, each step recomputes the whole sequence from position 0 (no cache).")})
    return new_ids, margin


def rope_sensitivity(checks, name, cfg, p, ids, mask, pos, logits):
    """The same weights with plain RoPE must give clearly different logits (the variant is tested)."""
    plain = dict(cfg)
    plain["rope_scaling"] = None
    other, _ = llama_forward(p, plain, ids, attention_mask=mask, position_ids=pos)
    valid = mask.bool()
    checks.at_least(f"{name}: rope_scaling vs none changes real-position logits by",
                    float((other - logits)[valid].abs().max()), 1e-2)


README_COMMON = """
Regenerate (from the repository root):

    /usr/bin/python3 tools/torch_reference.py --out models/src/test/resources/golden \\
        --train-out training/src/test/resources/golden

(`--verify` recomputes everything and compares with the files on disk; `--check` runs only the
internal consistency checks.)  The generator is deterministic (seeded torch.Generator, PyTorch 1.13 CPU).

Numerics: the reference is computed in float64 from the float32 parameters stored here and saved as
float32; the script asserts that a float32 run stays within 1e-5 of it, so compare a float32
implementation with an absolute tolerance of 1e-4.

File formats: `*.safetensors` are standard safetensors (little-endian, dtype F32, tensors sorted by
name, `__metadata__` = {"format": "pt"}); `*.npy` are NumPy v1.0 files, dtype `<f4`, C order;
`*.json` are plain JSON.
"""


def write_readme(path, title, body):
    with open(os.path.join(path, "README.md"), "w") as f:
        f.write(f"# {title}\n\n{body.strip()}\n{README_COMMON}")


INFER_README_BODY = """
Files: `config.json` (Hugging Face form), `model.safetensors` (HF parameter names), `inputs.json`,
`logits.npy`.

Inputs (`inputs.json`): batch 2, seq 8.
* `input_ids` [2, 8]; row 1 is left-padded with 3 slots of pad id 0.
* `attention_mask` [2, 8]: row 0 all 1, row 1 = [0, 0, 0, 1, 1, 1, 1, 1].
* `position_ids` [2, 8] = clamp(cumsum(attention_mask) - 1, min 0):
  row 0 = [0..7], row 1 = [0, 0, 0, 0, 1, 2, 3, 4] (first real token at position 0, as HF
  generate() does for left padding; HF puts 1 in pad slots, we put 0 - pad slots never affect
  real tokens, so either gives the same compared values).
* Attention: causal AND key-padding mask (a key j with attention_mask 0 is invisible to every
  query), as HF does with `attention_mask`.
* `compare_mask` (= attention_mask): only these slots are meaningful.

Expected output (`logits.npy`): float32 [2, 8, vocab].  At slots where attention_mask is 0 the
stored logits are exactly 0 and must NOT be compared (HF produces arbitrary values there: those
queries can only see masked keys).  The script checks that row 1's real positions equal the same
5 tokens run alone with positions 0..4, and that incremental KV-cache decoding equals the full
recompute.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help="golden root for the models module (default: %(default)s)")
    ap.add_argument("--train-out", default=DEFAULT_TRAIN_OUT,
                    help="golden root for the training module (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="run the consistency checks only, write nothing")
    ap.add_argument("--verify", action="store_true",
                    help="recompute into a temporary folder and compare with the fixtures on disk")
    ap.add_argument("--write-upstream-stories260k", metavar="OUT_BIN",
                    help="write the repaired (upstream) stories260K.bin made from the bundled one, then exit")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.write_upstream_stories260k:
        cfg, p = load_llama2c_bin(STORIES_BIN)
        status = stories260k_status(p, cfg)
        if status == "unknown":
            sys.exit("bundled stories260K.bin is neither upstream nor repairable")
        write_llama2c_bin(args.write_upstream_stories260k, cfg, p if status == "upstream" else unscramble_llama2c(p))
        cfg2, p2 = load_llama2c_bin(args.write_upstream_stories260k)
        ok = stories260k_status(p2, cfg2) == "upstream"
        print(f"wrote {args.write_upstream_stories260k} (bundled file was {status}); sha256 "
              f"{file_sha256(args.write_upstream_stories260k)}; greedy check {'ok' if ok else 'FAILED'}")
        sys.exit(0 if ok else 1)
    torch.use_deterministic_algorithms(True)

    if args.verify:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            rc = generate(os.path.join(tmp, "m"), os.path.join(tmp, "t"))
            rc |= compare_trees(os.path.join(tmp, "m"), args.out)
            rc |= compare_trees(os.path.join(tmp, "t"), args.train_out)
        sys.exit(rc)
    if args.check:
        sys.exit(generate(None, None))
    sys.exit(generate(args.out, args.train_out))


def compare_trees(new_root, old_root):
    rc = 0
    for dirpath, _, files in os.walk(new_root):
        for fn in sorted(files):
            a = os.path.join(dirpath, fn)
            b = os.path.join(old_root, os.path.relpath(a, new_root))
            same = os.path.exists(b) and open(a, "rb").read() == open(b, "rb").read()
            print(f"{'same' if same else 'DIFFERS'} {os.path.relpath(b, REPO)}")
            rc |= 0 if same else 1
    return rc


def sub(root, name):
    return os.path.join(root, name) if root else None


def generate(out, train_out):
    checks = Checks()
    cmd = ("/usr/bin/python3 tools/torch_reference.py --out models/src/test/resources/golden "
           "--train-out training/src/test/resources/golden")

    # ---- safetensors round trip ----
    rt = {"b": torch.randn(3, 2), "a": torch.arange(5, dtype=torch.int64), "c": torch.randn(2).to(torch.bfloat16),
          "s": torch.tensor(1.5, dtype=torch.float64)}
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.safetensors")
        save_safetensors(path, rt, metadata={"format": "pt"})
        back, meta = load_safetensors(path)
        raw = open(path, "rb").read()
    checks.true("safetensors: round trip (F32, I64, BF16, scalar F64) and metadata",
                meta == {"format": "pt"} and sorted(back) == sorted(rt)
                and all(torch.equal(back[k], rt[k]) for k in rt))
    (hlen,) = struct.unpack("<Q", raw[:8])
    checks.true("safetensors: header padded to 8 bytes, tensors in name order",
                hlen % 8 == 0 and list(json.loads(raw[8:8 + hlen]))[1:] == ["a", "b", "c", "s"])

    # ---- GPT-2 ----
    gcfg = gpt2_config(vocab=96, n_positions=16, n_embd=32, n_layer=2, n_head=4, initializer_range=0.2)
    gp = gpt2_init(gcfg, seed=1234)
    d = sub(out, "gpt2-tiny")
    build_infer_fixture(checks, "gpt2-tiny", gpt2_forward, gcfg, gp, seed=1, out_dir=d)
    if d:
        write_readme(d, "gpt2-tiny golden", f"""
Reference for Hugging Face `GPT2LMHeadModel` (eval, no dropout): learned positions `wpe`, pre-LayerNorm
(eps 1e-5), fused `c_attn` Conv1D with weight [in, out] (y = x @ W + b), `c_proj`, MLP `c_fc`/`c_proj`
with `gelu_new` (tanh approximation), causal mask, final `ln_f`, LM head tied to `wte` (so there is no
`lm_head.weight` tensor).  Made by `{cmd}`.

Weights: seeded random (seed 1234), HF-style normal init with `initializer_range` 0.2 (10x HF's
0.02 so that attention is far from uniform and mask/position errors show up clearly), `c_proj`
weights scaled by 1/sqrt(2*n_layer), LayerNorm weights 1 + N(0, 0.1), all biases and LayerNorm biases
N(0, 0.2).
{INFER_README_BODY}""")

    # ---- Llama ----
    lcfg = llama_config(vocab=128, hidden=32, intermediate=64, layers=2, heads=4, kv_heads=2, rope_theta=10000.0,
                        eps=1e-5, max_pos=64, initializer_range=0.2)
    lp = llama_init(lcfg, seed=4321)
    d = sub(out, "llama-tiny-gqa")
    ids, mask, pos, logits = build_infer_fixture(checks, "llama-tiny-gqa", llama_forward, lcfg, lp, seed=2, out_dir=d)
    # rotate_half vs interleaved: the convention matters on these weights
    inter = dict(lp)
    hd = lcfg["head_dim"]
    for i in range(lcfg["num_hidden_layers"]):
        for nm, heads in (("q_proj", lcfg["num_attention_heads"]), ("k_proj", lcfg["num_key_value_heads"])):
            wt = lp[f"model.layers.{i}.self_attn.{nm}.weight"]
            inter[f"model.layers.{i}.self_attn.{nm}.weight"] = \
                wt.view(heads, 2, hd // 2, wt.shape[1]).transpose(1, 2).reshape(wt.shape)
    other, _ = llama_forward(inter, lcfg, ids, attention_mask=mask, position_ids=pos)
    checks.at_least("llama-tiny-gqa: interleaved instead of rotate_half RoPE changes logits by",
                    float((other - logits)[mask.bool()].abs().max()), 1e-2)
    # GQA: query head h must use kv head h // n_rep; the h % KV grouping must be clearly different.
    # (h % KV grouping == swapping query heads 1 and 2 in q_proj rows and o_proj columns.)
    perm = torch.arange(lcfg["num_attention_heads"] * hd).view(-1, hd)[[0, 2, 1, 3]].flatten()
    wrong = dict(lp)
    for i in range(lcfg["num_hidden_layers"]):
        wrong[f"model.layers.{i}.self_attn.q_proj.weight"] = lp[f"model.layers.{i}.self_attn.q_proj.weight"][perm]
        wrong[f"model.layers.{i}.self_attn.o_proj.weight"] = lp[f"model.layers.{i}.self_attn.o_proj.weight"][:, perm]
    other, _ = llama_forward(wrong, lcfg, ids, attention_mask=mask, position_ids=pos)
    checks.at_least("llama-tiny-gqa: kv head h % KV instead of h // n_rep changes logits by",
                    float((other - logits)[mask.bool()].abs().max()), 1e-2)
    if d:
        write_readme(d, "llama-tiny-gqa golden", f"""
Reference for Hugging Face `LlamaForCausalLM` (eval, eager attention): RMSNorm
`x * rsqrt(mean(x^2) + eps) * w` (eps 1e-5), rotary embeddings with HF's `rotate_half` convention
(head split in two halves) and rope_theta 10000, grouped-query attention (4 query heads, 2 kv heads;
query head h uses kv head h // 2, as `repeat_kv` does), SwiGLU MLP `down(silu(gate(x)) * up(x))`, no
biases, untied `lm_head.weight`.  Made by `{cmd}`.

Weights: seeded random (seed 4321), every projection and the embedding N(0, 0.2) (`initializer_range`
0.2, 10x HF's default so attention is far from uniform), RMSNorm weights 1 + N(0, 0.1).  The script
checks that an interleaved-pair RoPE on the same weights changes the logits by more than 1e-2.
{INFER_README_BODY}""")

    variants = [
        ("llama-tiny-rope-linear", {"rope_type": "linear", "factor": 2.0},
         "rope_scaling linear, factor 2: HF divides inv_freq by the factor (= positions / 2)."),
        ("llama-tiny-rope-llama3", {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                    "high_freq_factor": 4.0, "original_max_position_embeddings": 16},
         "rope_scaling llama3 (factor 8, low_freq_factor 1, high_freq_factor 4, original_max_position_embeddings "
         "16), HF `_compute_llama3_parameters`.  With head_dim 8 the inv_freqs are [1, 0.1, 0.01, 0.001] "
         "(wavelengths 6.28, 62.8, 628, 6283); low_freq_wavelen = 16, high_freq_wavelen = 4, so the first "
         "frequency is in the smoothed (medium) band (smooth_factor = (16/6.283 - 1)/3 = 0.5158) and the other "
         "three are divided by 8.  The 'unchanged high frequency' branch cannot occur with these settings "
         "(2*pi > 4); see llama-tiny-rope-llama3-wide for it."),
        ("llama-tiny-rope-llama3-wide", {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
         "rope_scaling llama3 (factor 8, low_freq_factor 1, high_freq_factor 4, original_max_position_embeddings "
         "64), HF `_compute_llama3_parameters`.  low_freq_wavelen = 64, high_freq_wavelen = 16: of the "
         "wavelengths [6.28, 62.8, 628, 6283] the first is unchanged (high frequency), the second is smoothed "
         "(smooth_factor = (64/62.83 - 1)/3 = 0.00620) and the last two are divided by 8, so all three "
         "branches are exercised."),
    ]
    for k, (vname, rs, text) in enumerate(variants):
        vcfg = llama_config(vocab=64, hidden=32, intermediate=48, layers=1, heads=4, kv_heads=2, rope_theta=10000.0,
                            eps=1e-5, max_pos=128, rope_scaling=rs, initializer_range=0.2)
        vp = llama_init(vcfg, seed=100 + k)
        d = sub(out, vname)
        ids, mask, pos, logits = build_infer_fixture(checks, vname, llama_forward, vcfg, vp, seed=10 + k, out_dir=d)
        rope_sensitivity(checks, vname, vcfg, vp, ids, mask, pos, logits)
        inv, _ = rope_inv_freq(vcfg)
        if d:
            write_readme(d, f"{vname} golden", f"""
Reference for Hugging Face `LlamaForCausalLM` with {text}

Resulting inv_freq: {[float(f'{x:.9g}') for x in inv.tolist()]} (attention scaling 1.0).
Otherwise as llama-tiny-gqa (rotate_half RoPE, rope_theta 10000, GQA 4 heads / 2 kv heads,
SwiGLU, RMSNorm eps 1e-5, untied lm_head) but smaller: vocab 64, hidden 32, intermediate 48, 1 layer.
Weights: seeded random (seed {100 + k}), N(0, 0.2), RMSNorm weights 1 + N(0, 0.1).  The script checks
that plain RoPE on the same weights changes the logits by more than 1e-2.  Made by `{cmd}`.
{INFER_README_BODY}""")

    # ---- llama2.c stories260K ----
    scfg, sp = load_llama2c_bin(STORIES_BIN)
    sha = file_sha256(STORIES_BIN)
    status = stories260k_status(sp, scfg)
    checks.true("stories260K: bundled file is upstream, or repairable to upstream", status != "unknown",
                f"status {status}, sha256 {sha}")
    upstream = sp if status == "upstream" else unscramble_llama2c(sp)
    up_greedy, _ = llama2c_greedy(upstream, scfg, [1], len(LLAMA2C_DOCUMENTED_GREEDY))
    checks.true("stories260K upstream: greedy from BOS == llama2.c's documented output "
                "('Once upon a time, there was a little girl named Lily. She lo')",
                up_greedy == LLAMA2C_DOCUMENTED_GREEDY)
    model_common = f"""
Model: llama2.c legacy checkpoint (dim 64, hidden_dim 172, 5 layers, 8 heads, 4 kv heads, vocab 512,
seq_len 512, classifier shared with the embedding), computed the way llama2.c's own `model.py` does:
RMSNorm eps 1e-5, RoPE on interleaved pairs (x[2i], x[2i+1]) as complex numbers with theta 10000 (the
stored freq_cis tables are ignored), GQA (query head h uses kv head h // 2), SwiGLU
`w2(silu(w1 x) * w3 x)`, causal attention.  This path never uses HF's rotate_half; the script
additionally checks that HF's rotate_half path on wq/wk permuted the way HF's converter does gives the
same logits (so a Java side that permutes wq/wk into HF layout is checked against an independent
computation), and that the llama2.c-style KV cache equals the full recompute.  Made by `{cmd}`.

Files:
* `inputs.json`: `input_ids` [[{', '.join(map(str, STORIES_PROMPT))}]] (BOS = 1, then "Once upon a time" in the
  model's 512-token vocabulary), positions 0..4, no padding.
* `logits.npy`: float32 [1, 5, 512], logits at every position.  The logits reach |15|; a float32 run
  differs from the float64 reference by ~1e-5, so compare with absolute tolerance 1e-4.
* `greedy.json`: {STORIES_NEW} greedily generated ids after that prompt (`generated_ids`; `all_ids` =
  prompt + generated).  Argmax with ties to the lowest id, exactly {STORIES_NEW} tokens (no stop on
  BOS/EOS), each step recomputes the full sequence from position 0 without a cache.  The script
  checks that float32 gives the same ids and that an HF-path run with a KV cache does too;
  `min_top1_top2_margin` is the smallest gap between the best and second-best logit over the steps.
"""
    scramble_note = "" if status == "upstream" else """
NOTE: the bundled file is NOT the upstream tinyllamas checkpoint: its 2-D weight matrices are
scrambled (the buffer permutation that repeated in-place transposes produce; see
`unscramble_llama2c` in tools/torch_reference.py).  Read as-is, it still is a valid llama2.c file and
upstream llama2.c `run.c` generates exactly the ids in `greedy.json` from it (checked by hand with run.c
and a placeholder tokenizer), but the text is junk.  `../stories260K-upstream/` holds the same fixture
for the repaired, real model.
"""
    d = sub(out, "stories260K")
    new_ids, _ = build_stories_fixture(checks, "stories260K", scfg, sp, d,
                                       f"testdata/models/stories260K.bin as bundled (sha256 {sha})")
    if d:
        write_readme(d, "stories260K golden", f"""
Reference for `testdata/models/stories260K.bin` exactly as bundled (sha256 `{sha}`), read in
llama2.c's legacy layout with no repair.
{scramble_note}{model_common}""")
    d = sub(out, "stories260K-upstream")
    up_sha = None
    if d:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "stories260K.bin")
            write_llama2c_bin(path, scfg, upstream)
            up_sha = file_sha256(path)
    up_ids, up_margin = build_stories_fixture(
        checks, "stories260K-upstream", scfg, upstream, d,
        f"the upstream tinyllamas stories260K.bin, repaired from the bundled file (sha256 {up_sha}); "
        "`tools/torch_reference.py --write-upstream-stories260k OUT.bin` writes it from the bundled file")
    if d:
        write_readme(d, "stories260K-upstream golden", f"""
Reference for the upstream (real, trained) tinyllamas stories260K checkpoint, as repaired from the
bundled file (sha256 of the repaired file `{up_sha}`).
{"It is the bundled testdata file itself." if status == "upstream" else
 "The bundled testdata/models/stories260K.bin is a scrambled copy of it; write the real file with "
 "`/usr/bin/python3 tools/torch_reference.py --write-upstream-stories260k OUT.bin`."}
With this checkpoint greedy decoding from BOS reproduces llama2.c's documented output
("Once upon a time, there was a little girl named Lily. She lo..." =
{LLAMA2C_DOCUMENTED_GREEDY}); the script checks that.
{model_common}""")

    # ---- training ----
    d = sub(train_out, "gpt2-tiny")
    gloss, _ = build_train_fixture(checks, "gpt2-tiny", gpt2_forward, gcfg, gp, seed=3, out_dir=d,
                                   fd_picks=["transformer.wte.weight", "transformer.wpe.weight",
                                             "transformer.h.0.attn.c_attn.weight", "transformer.h.1.ln_2.bias",
                                             "transformer.ln_f.weight"])
    d2 = sub(train_out, "llama-tiny-gqa")
    lloss, _ = build_train_fixture(checks, "llama-tiny-gqa", llama_forward, lcfg, lp, seed=4, out_dir=d2,
                                   fd_picks=["model.embed_tokens.weight", "model.layers.0.self_attn.k_proj.weight",
                                             "model.layers.1.mlp.gate_proj.weight", "model.norm.weight",
                                             "lm_head.weight"])
    train_body = """
Files: `config.json`, `model.safetensors` (the same model as models/src/test/resources/golden/{name}),
`inputs.json` (`input_ids`, `attention_mask`, `labels`, `position_ids`), `loss.json`, `grads.safetensors`.

Batch 2 x 8:
* row 0: all 8 tokens real, `labels` = input_ids with the first 3 labels set to -100 (a "prompt").
* row 1: 6 real tokens then 2 right-padding slots (pad id 0, attention_mask 0, label -100).
* `position_ids` = 0..7 for both rows.  With right padding the attention mask cannot change the loss or
  any gradient (the script checks this), so an implementation may ignore it.

Loss (HF causal-LM loss): logits at position t predict labels[t+1]; cross-entropy (log-softmax over the
full vocabulary) averaged over every shifted label that is not -100, across the whole batch (not per
row).  labels[:, 0] is never used.  `loss.json` gives `loss` (float64 value), `num_label_tokens`
(the divisor).  No dropout.

Gradients (`grads.safetensors`): d loss / d parameter for every parameter, same names and shapes as
`model.safetensors`, computed in float64 and stored as F32.{tied}  The script checks autograd against
central finite differences in float64 on 10 entries and the float32 gradients against the float64
ones (max difference <= 1e-6).  Made by `{cmd}`.
"""
    if d:
        write_readme(d, "gpt2-tiny training golden", train_body.format(
            name="gpt2-tiny", cmd=cmd,
            tied=" `transformer.wte.weight` is tied to the LM head: its gradient is the SUM of the "
                 "embedding-lookup and LM-head contributions."))
        write_readme(d2, "llama-tiny-gqa training golden", train_body.format(
            name="llama-tiny-gqa", cmd=cmd, tied=" The LM head is untied (`lm_head.weight` has its own gradient)."))

    checks.report()
    print(f"gpt2-tiny loss {gloss:.6f}, llama-tiny-gqa loss {lloss:.6f}")
    print(f"stories260K ({status}) greedy {new_ids}")
    print(f"stories260K-upstream greedy {up_ids}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    main()
