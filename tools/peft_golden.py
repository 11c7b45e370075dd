#!/usr/bin/env python3
"""PEFT LoRA golden fixtures for ortune's adapter tests (export module).

Each fixture is a PEFT adapter folder (adapter_config.json + adapter_model.safetensors, PEFT's key names and
conventions) for a tiny base model, plus inputs and the logits the adapted model gives in PyTorch.  Python PEFT is
not installed here, so its LoRA forward is written out from its definitions:

    lora.Linear.forward:  y = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling
    scaling = lora_alpha / r            (use_rslora: lora_alpha / sqrt(r))
    r, lora_alpha per module: the first rank_pattern / alpha_pattern key k with re.match(rf"(.*\\.)?({k})$", module)
    lora_A.weight [r, in], lora_B.weight [out, r] (nn.Linear layout, whatever the base layer is)
    fan_in_fan_out (GPT-2 Conv1D, weight [in, out]): the base is x @ W + b; the adapter path is unchanged
    saved keys: base_model.model.<module>.lora_A.weight / .lora_B.weight (adapter name removed)

Fixtures (written under --out, default export/src/test/resources/golden/peft):
  gpt2-lora/   GPT-2 tiny (models/.../golden/gpt2-tiny), target c_attn, r 4, alpha 8, fan_in_fan_out true
  gpt2-lora-layers/  the same base, target ["c_attn", "c_proj"] (c_proj names attn.c_proj and mlp.c_proj),
               layers_to_transform [1], r 2, alpha 4, alpha_pattern {"mlp.c_proj": 1}
  llama-lora/  Llama tiny GQA (models/.../golden/llama-tiny-gqa), q_proj,v_proj, r 4, alpha 16,
               rank_pattern {"layers.1.self_attn.q_proj": 2}
  llama-dora/  the same base, DoRA (use_dora) on q_proj,v_proj, r 4, alpha 8, lora_magnitude_vector [out]
               (PEFT's DoraLinearLayer: m * (W + s*B@A) / ||W + s*B@A||_row, the norm detached)
  bert-lora/   a tiny BertForSequenceClassification made here (config.json + model.safetensors in the folder),
               target ["query", "value"], r 4, alpha 4, use_rslora true
  minilm-lora/ (only with --minilm DUMP_DIR) all-MiniLM-L6-v2 rebuilt from its ONNX initializers dumped as .npy,
               query,value, r 2; expected last_hidden_state

Every reference is computed in float64 from the float32 values stored in the files; the script also checks
(printing "N passed, M failed", exit 1 on failure):
  * with no adapter, the forward here == tools/torch_reference.py's forward (same base)  (<= 1e-12)
  * the unmerged LoRA forward == the base forward with W + scaling * (B @ A) merged in   (<= 1e-10)
  * float32 LoRA forward vs float64                                                      (<= 1e-5)
  * the fixture discriminates: dropping the adapter, using alpha instead of alpha/r, or ignoring
    rank_pattern / use_rslora each change the logits by > 1e-3

Usage, from the repository root:
    /usr/bin/python3 tools/peft_golden.py                       # writes the three tiny fixtures
    /usr/bin/python3 tools/peft_golden.py --check               # checks only, writes nothing
    /usr/bin/python3 tools/peft_golden.py --minilm DUMP_DIR     # also the MiniLM fixture (see the README)
"""

import argparse
import json
import math
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as tr  # noqa: E402

REPO = tr.REPO
REF = torch.float64
MODELS_GOLDEN = os.path.join(REPO, "models", "src", "test", "resources", "golden")
DEFAULT_OUT = os.path.join(REPO, "export", "src", "test", "resources", "golden", "peft")
PREFIX = "base_model.model."


# =============================================================================
# PEFT LoRA: config, per-module rank/alpha, the forward of one adapted linear layer
# =============================================================================

def pattern_key(keys, module):
    """PEFT's get_pattern_key: the first key k with re.match(rf"(.*\\.)?({k})$", module), else None."""
    for k in keys:
        if re.match(rf"(.*\.)?({k})$", module):
            return k
    return None


def module_rank_alpha(cfg, module):
    k = pattern_key(cfg.get("rank_pattern") or {}, module)
    r = cfg["rank_pattern"][k] if k is not None else cfg["r"]
    k = pattern_key(cfg.get("alpha_pattern") or {}, module)
    alpha = cfg["alpha_pattern"][k] if k is not None else cfg["lora_alpha"]
    return r, alpha


def scaling(cfg, module):
    r, alpha = module_rank_alpha(cfg, module)
    return alpha / math.sqrt(r) if cfg.get("use_rslora") else alpha / r


def targeted(cfg, module):
    """PEFT's check_target_module_exists: a regex string must match the whole path; a list entry must end the path on
    a component boundary; with layers_to_transform, the index after layers/h/block(s)/layer must be listed."""
    t = cfg["target_modules"]
    if isinstance(t, str):
        found = re.fullmatch(t, module) is not None
    else:
        found = any(module == k or module.endswith("." + k) for k in t)
    layers = cfg.get("layers_to_transform")
    if found and layers is not None:
        m = re.match(r".*\.(?:layers|h|block|blocks|layer)\.(\d+)\.", module)
        found = m is not None and int(m.group(1)) in (layers if isinstance(layers, list) else [layers])
    return found


class Adapted:
    """Linear layers of one base model, optionally adapted: lin(module, x) is what the module computes."""

    def __init__(self, params, lora_cfg=None, lora=None, dtype=REF, fan_in_fan_out=False, mode="unmerged"):
        self.w = {k: v.to(dtype) for k, v in params.items()}
        self.cfg = lora_cfg
        self.lora = {k: v.to(dtype) for k, v in (lora or {}).items()}
        self.fan_in_fan_out = fan_in_fan_out
        self.mode = mode  # unmerged | merged | alpha-not-scaled | no-pattern | no-dora
        self.used = set()

    def lin(self, module, x, bias=True):
        W = self.w[module + ".weight"]
        b = self.w.get(module + ".bias") if bias else None
        a_key = PREFIX + module + ".lora_A.weight"
        has = self.cfg is not None and a_key in self.lora
        m_key = PREFIX + module + ".lora_magnitude_vector"
        if has and m_key in self.lora and self.mode != "no-dora":
            return self.dora(module, x, W, b, a_key, m_key)
        if has and self.mode == "merged":
            delta = scaling(self.cfg, module) * (self.lora[PREFIX + module + ".lora_B.weight"] @ self.lora[a_key])
            W = W + (delta.T if self.fan_in_fan_out else delta)  # PEFT's merge: transpose(B @ A, fan_in_fan_out)
        y = x @ W + (0 if b is None else b) if self.fan_in_fan_out else x @ W.T + (0 if b is None else b)
        if has and self.mode != "merged":
            self.used.add(module)
            A = self.lora[a_key]
            B = self.lora[PREFIX + module + ".lora_B.weight"]
            if self.mode == "alpha-not-scaled":
                s = module_rank_alpha(self.cfg, module)[1]
            elif self.mode == "no-pattern":
                s = self.cfg["lora_alpha"] / self.cfg["r"]
            else:
                s = scaling(self.cfg, module)
            y = y + (x @ A.T) @ B.T * s
        return y


    def dora(self, module, x, W, b, a_key, m_key):
        """PEFT's DoRA (lora/dora.py DoraLinearLayer): W_oi = transpose(W, fan_in_fan_out); norm = ||W_oi + s*B@A||
        per output row (detached); result = base(x) + (m/norm - 1) * (x @ W_oi^T) + (m/norm) * s * lora_B(lora_A(x))."""
        self.used.add(module)
        A, B, mag = self.lora[a_key], self.lora[PREFIX + module + ".lora_B.weight"], self.lora[m_key]
        s = module_rank_alpha(self.cfg, module)[1] if self.mode == "alpha-not-scaled" else scaling(self.cfg, module)
        W_oi = W.T if self.fan_in_fan_out else W
        norm = (W_oi + s * (B @ A)).norm(p=2, dim=1)
        scale = mag / norm
        bias = 0 if b is None else b
        if self.mode == "merged":
            return x @ (scale[:, None] * (W_oi + s * (B @ A))).T + bias
        base = x @ W_oi.T
        return base + bias + (scale - 1) * base + scale * ((x @ A.T) @ B.T) * s


# =============================================================================
# base forwards with every linear layer going through Adapted.lin
# =============================================================================

def gpt2_forward(L, cfg, ids, mask, pos):
    w = L.w
    ids, pos = torch.as_tensor(ids), torch.as_tensor(pos)
    B, T = ids.shape
    E, H = cfg["n_embd"], cfg["n_head"]
    hd = E // H
    eps = cfg["layer_norm_epsilon"]
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][pos]
    bias = tr.attention_bias(B, T, 0, mask, x.dtype)
    for i in range(cfg["n_layer"]):
        pre = f"transformer.h.{i}."
        h = tr.layer_norm(x, w[pre + "ln_1.weight"], w[pre + "ln_1.bias"], eps)
        q, k, v = L.lin(pre + "attn.c_attn", h).split(E, dim=-1)
        q, k, v = (t.view(B, T, H, hd).transpose(1, 2) for t in (q, k, v))
        a = tr.softmax_last(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias) @ v
        x = x + L.lin(pre + "attn.c_proj", a.transpose(1, 2).reshape(B, T, E))
        h = tr.layer_norm(x, w[pre + "ln_2.weight"], w[pre + "ln_2.bias"], eps)
        x = x + L.lin(pre + "mlp.c_proj", tr.gelu_new(L.lin(pre + "mlp.c_fc", h)))
    x = tr.layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    return x @ w["transformer.wte.weight"].T


def llama_forward(L, cfg, ids, mask, pos):
    w = L.w
    ids = torch.as_tensor(ids)
    B, T = ids.shape
    D, H = cfg["hidden_size"], cfg["num_attention_heads"]
    KV = cfg.get("num_key_value_heads") or H
    hd = cfg.get("head_dim") or D // H
    eps = cfg["rms_norm_eps"]
    dtype = w["model.embed_tokens.weight"].dtype
    inv_freq, att_scale = tr.rope_inv_freq(cfg, dtype)
    freqs = torch.as_tensor(pos).to(dtype)[:, :, None] * inv_freq[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = (emb.cos() * att_scale)[:, None], (emb.sin() * att_scale)[:, None]
    x = w["model.embed_tokens.weight"][ids]
    bias = tr.attention_bias(B, T, 0, mask, dtype)
    for i in range(cfg["num_hidden_layers"]):
        pre = f"model.layers.{i}."
        h = tr.rms_norm_hf(x, w[pre + "input_layernorm.weight"], eps)
        q = L.lin(pre + "self_attn.q_proj", h, False).view(B, T, H, hd).transpose(1, 2)
        k = L.lin(pre + "self_attn.k_proj", h, False).view(B, T, KV, hd).transpose(1, 2)
        v = L.lin(pre + "self_attn.v_proj", h, False).view(B, T, KV, hd).transpose(1, 2)
        q, k = q * cos + tr.rotate_half(q) * sin, k * cos + tr.rotate_half(k) * sin
        k, v = tr.repeat_kv(k, H // KV), tr.repeat_kv(v, H // KV)
        a = (tr.softmax_last(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias) @ v).transpose(1, 2)
        x = x + L.lin(pre + "self_attn.o_proj", a.reshape(B, T, H * hd), False)
        h = tr.rms_norm_hf(x, w[pre + "post_attention_layernorm.weight"], eps)
        gate, up = L.lin(pre + "mlp.gate_proj", h, False), L.lin(pre + "mlp.up_proj", h, False)
        x = x + L.lin(pre + "mlp.down_proj", tr.silu(gate) * up, False)
    x = tr.rms_norm_hf(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return x @ head.T


def gelu_erf(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def bert_encoder(L, cfg, ids, mask, types, prefix):
    """HF BertModel's last_hidden_state (eval): embeddings + LN, post-LN layers, extended mask (1 - m) * min."""
    w = L.w
    ids = torch.as_tensor(ids)
    B, T = ids.shape
    E, H = cfg["hidden_size"], cfg["num_attention_heads"]
    hd = E // H
    eps = cfg["layer_norm_eps"]
    emb = prefix + "embeddings."
    dtype = w[emb + "word_embeddings.weight"].dtype
    x = (w[emb + "word_embeddings.weight"][ids] + w[emb + "token_type_embeddings.weight"][torch.as_tensor(types)]
         + w[emb + "position_embeddings.weight"][torch.arange(T)][None])
    x = tr.layer_norm(x, w[emb + "LayerNorm.weight"], w[emb + "LayerNorm.bias"], eps)
    m = torch.as_tensor(mask).to(dtype)
    bias = ((1.0 - m) * torch.finfo(dtype).min)[:, None, None, :]
    for i in range(cfg["num_hidden_layers"]):
        pre = f"{prefix}encoder.layer.{i}."
        q, k, v = (L.lin(pre + "attention.self." + n, x).view(B, T, H, hd).transpose(1, 2)
                   for n in ("query", "key", "value"))
        a = (tr.softmax_last(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias) @ v).transpose(1, 2).reshape(B, T, E)
        x = tr.layer_norm(L.lin(pre + "attention.output.dense", a) + x, w[pre + "attention.output.LayerNorm.weight"],
                          w[pre + "attention.output.LayerNorm.bias"], eps)
        inner = gelu_erf(L.lin(pre + "intermediate.dense", x))
        x = tr.layer_norm(L.lin(pre + "output.dense", inner) + x, w[pre + "output.LayerNorm.weight"],
                          w[pre + "output.LayerNorm.bias"], eps)
    return x


def bert_classifier_forward(L, cfg, ids, mask, types):
    h = bert_encoder(L, cfg, ids, mask, types, "bert.")
    pooled = torch.tanh(L.lin("bert.pooler.dense", h[:, 0]))
    return L.lin("classifier", pooled)


# =============================================================================
# tiny BERT classifier
# =============================================================================

def bert_config():
    return {
        "architectures": ["BertForSequenceClassification"],
        "model_type": "bert",
        "vocab_size": 64,
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": 16,
        "type_vocab_size": 2,
        "initializer_range": 0.2,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "num_labels": 5,
        "torch_dtype": "float32",
    }


def bert_init(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    std = cfg["initializer_range"]
    E, I = cfg["hidden_size"], cfg["intermediate_size"]

    def normal(*shape, s=std):
        return torch.randn(*shape, generator=g, dtype=torch.float32) * s

    p = {}

    def linear(name, out_f, in_f):
        p[name + ".weight"] = normal(out_f, in_f)
        p[name + ".bias"] = normal(out_f)

    def norm(name):
        p[name + ".weight"] = 1 + normal(E, s=0.1)
        p[name + ".bias"] = normal(E)

    p["bert.embeddings.word_embeddings.weight"] = normal(cfg["vocab_size"], E)
    p["bert.embeddings.position_embeddings.weight"] = normal(cfg["max_position_embeddings"], E)
    p["bert.embeddings.token_type_embeddings.weight"] = normal(cfg["type_vocab_size"], E)
    norm("bert.embeddings.LayerNorm")
    for i in range(cfg["num_hidden_layers"]):
        pre = f"bert.encoder.layer.{i}."
        for n in ("query", "key", "value"):
            linear(pre + "attention.self." + n, E, E)
        linear(pre + "attention.output.dense", E, E)
        norm(pre + "attention.output.LayerNorm")
        linear(pre + "intermediate.dense", I, E)
        linear(pre + "output.dense", E, I)
        norm(pre + "output.LayerNorm")
    linear("bert.pooler.dense", E, E)
    linear("classifier", cfg["num_labels"], E)
    return p


# =============================================================================
# adapter files as PEFT writes them
# =============================================================================

def lora_config(target_modules, r, alpha, base, task_type, fan_in_fan_out=False, rank_pattern=None,
                alpha_pattern=None, use_rslora=False, layers_to_transform=None):
    """LoraConfig.to_dict() as PEFT 0.14 saves it (json.dumps(indent=2, sort_keys=True))."""
    return {
        "alpha_pattern": alpha_pattern or {},
        "auto_mapping": None,
        "base_model_name_or_path": base,
        "bias": "none",
        "eva_config": None,
        "exclude_modules": None,
        "fan_in_fan_out": fan_in_fan_out,
        "inference_mode": True,
        "init_lora_weights": True,
        "layer_replication": None,
        "layers_pattern": None,
        "layers_to_transform": layers_to_transform,
        "loftq_config": {},
        "lora_alpha": alpha,
        "lora_bias": False,
        "lora_dropout": 0.05,
        "megatron_config": None,
        "megatron_core": "megatron.core",
        "modules_to_save": None,
        "peft_type": "LORA",
        "r": r,
        "rank_pattern": rank_pattern or {},
        "revision": None,
        "target_modules": target_modules,
        "task_type": task_type,
        "use_dora": False,
        "use_rslora": use_rslora,
    }


def make_lora(cfg, sites, seed):
    """Random lora_A/lora_B for every targeted site (module -> (in, out)); B is random too (PEFT starts it at 0,
    a trained adapter is not 0), std 0.2 so the adapter changes the logits visibly."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for module, (fan_in, fan_out) in sites.items():
        if not targeted(cfg, module):
            continue
        r, _ = module_rank_alpha(cfg, module)
        out[PREFIX + module + ".lora_A.weight"] = torch.randn(r, fan_in, generator=g) * 0.2
        out[PREFIX + module + ".lora_B.weight"] = torch.randn(fan_out, r, generator=g) * 0.2
    return out


def write_adapter(folder, cfg, lora):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "adapter_config.json"), "w") as f:
        f.write(json.dumps(cfg, indent=2, sort_keys=True))
        f.write("\n")
    tr.save_safetensors(os.path.join(folder, "adapter_model.safetensors"), lora, {"format": "pt"})


def zero_padded(logits, mask):
    """Logits with query slots whose attention_mask is 0 set to 0 (they are not compared)."""
    m = torch.as_tensor(mask).to(logits.dtype)
    return logits * m[:, :, None]


# =============================================================================
# fixtures
# =============================================================================

def check_fixture(checks, name, forward, params, cfg, lora, fan_in_fan_out, base_forward, inputs, discriminators):
    """Runs the checks of the module docstring; returns the float64 adapted logits."""
    adapted = forward(Adapted(params, cfg, lora, REF, fan_in_fan_out), *inputs)
    plain = Adapted(params, None, None, REF, fan_in_fan_out)
    if base_forward is not None:
        checks.close(f"{name}: forward here == torch_reference forward (no adapter)", forward(plain, *inputs),
                     base_forward(), 1e-12)
    merged = forward(Adapted(params, cfg, lora, REF, fan_in_fan_out, "merged"), *inputs)
    checks.close(f"{name}: unmerged LoRA == merged W + s*B@A", adapted, merged, 1e-10)
    f32 = forward(Adapted(params, cfg, lora, torch.float32, fan_in_fan_out), *inputs).to(REF)
    checks.close(f"{name}: float32 vs float64", f32, adapted, 1e-5)
    used = Adapted(params, cfg, lora, REF, fan_in_fan_out)
    forward(used, *inputs)
    checks.true(f"{name}: every adapted module is used", used.used == {k[len(PREFIX):-len(".lora_A.weight")]
                                                                        for k in lora if k.endswith("lora_A.weight")})
    base = forward(plain, *inputs)
    checks.at_least(f"{name}: the adapter changes the logits", (adapted - base).abs().max().item(), 1e-3)
    for mode in discriminators:
        other = forward(Adapted(params, cfg, lora, REF, fan_in_fan_out, mode), *inputs)
        checks.at_least(f"{name}: '{mode}' changes the logits", (adapted - other).abs().max().item(), 1e-3)
    return adapted


def decoder_inputs(fixture_dir):
    with open(os.path.join(fixture_dir, "inputs.json")) as f:
        j = json.load(f)
    return torch.tensor(j["input_ids"]), torch.tensor(j["attention_mask"]), torch.tensor(j["position_ids"]), j


def build_gpt2(checks, out):
    src = os.path.join(MODELS_GOLDEN, "gpt2-tiny")
    params, _ = tr.load_safetensors(os.path.join(src, "model.safetensors"))
    with open(os.path.join(src, "config.json")) as f:
        mcfg = json.load(f)
    ids, mask, pos, j = decoder_inputs(src)
    cfg = lora_config(["c_attn"], 4, 8, "models/src/test/resources/golden/gpt2-tiny", "CAUSAL_LM",
                      fan_in_fan_out=True)
    E = mcfg["n_embd"]
    sites = {f"transformer.h.{i}.attn.c_attn": (E, 3 * E) for i in range(mcfg["n_layer"])}
    lora = make_lora(cfg, sites, 101)
    logits = check_fixture(checks, "gpt2-lora", lambda L, *a: gpt2_forward(L, mcfg, *a), params, cfg, lora, True,
                           lambda: tr.gpt2_forward(params, mcfg, ids, mask, pos)[0], (ids, mask, pos),
                           ["alpha-not-scaled"])
    save(out, "gpt2-lora", cfg, lora, zero_padded(logits, mask), j, None)


def build_gpt2_layers(checks, out):
    """c_attn and c_proj (which names both attn.c_proj and mlp.c_proj) in layer 1 only, alpha_pattern on mlp.c_proj."""
    src = os.path.join(MODELS_GOLDEN, "gpt2-tiny")
    params, _ = tr.load_safetensors(os.path.join(src, "model.safetensors"))
    with open(os.path.join(src, "config.json")) as f:
        mcfg = json.load(f)
    ids, mask, pos, j = decoder_inputs(src)
    cfg = lora_config(["c_attn", "c_proj"], 2, 4, "models/src/test/resources/golden/gpt2-tiny", "CAUSAL_LM",
                      fan_in_fan_out=True, alpha_pattern={"mlp.c_proj": 1}, layers_to_transform=[1])
    E = mcfg["n_embd"]
    sites = {}
    for i in range(mcfg["n_layer"]):
        pre = f"transformer.h.{i}."
        sites[pre + "attn.c_attn"] = (E, 3 * E)
        sites[pre + "attn.c_proj"] = (E, E)
        sites[pre + "mlp.c_fc"] = (E, 4 * E)
        sites[pre + "mlp.c_proj"] = (4 * E, E)
    lora = make_lora(cfg, sites, 111)
    checks.true("gpt2-lora-layers: exactly layer 1's c_attn, attn.c_proj and mlp.c_proj are adapted",
                sorted(k[len(PREFIX):-len(".lora_A.weight")] for k in lora if k.endswith("lora_A.weight"))
                == ["transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj", "transformer.h.1.mlp.c_proj"])
    logits = check_fixture(checks, "gpt2-lora-layers", lambda L, *a: gpt2_forward(L, mcfg, *a), params, cfg, lora,
                           True, None, (ids, mask, pos), ["alpha-not-scaled", "no-pattern"])
    save(out, "gpt2-lora-layers", cfg, lora, zero_padded(logits, mask), j, None)


def build_llama(checks, out):
    src = os.path.join(MODELS_GOLDEN, "llama-tiny-gqa")
    params, _ = tr.load_safetensors(os.path.join(src, "model.safetensors"))
    with open(os.path.join(src, "config.json")) as f:
        mcfg = json.load(f)
    ids, mask, pos, j = decoder_inputs(src)
    cfg = lora_config(["q_proj", "v_proj"], 4, 16, "models/src/test/resources/golden/llama-tiny-gqa", "CAUSAL_LM",
                      rank_pattern={"layers.1.self_attn.q_proj": 2})
    D = mcfg["hidden_size"]
    hd = mcfg.get("head_dim") or D // mcfg["num_attention_heads"]
    sites = {}
    for i in range(mcfg["num_hidden_layers"]):
        sites[f"model.layers.{i}.self_attn.q_proj"] = (D, mcfg["num_attention_heads"] * hd)
        sites[f"model.layers.{i}.self_attn.v_proj"] = (D, mcfg["num_key_value_heads"] * hd)
    lora = make_lora(cfg, sites, 202)
    checks.true("llama-lora: rank_pattern gives model.layers.1.self_attn.q_proj rank 2",
                lora[PREFIX + "model.layers.1.self_attn.q_proj.lora_A.weight"].shape[0] == 2
                and lora[PREFIX + "model.layers.0.self_attn.q_proj.lora_A.weight"].shape[0] == 4)
    logits = check_fixture(checks, "llama-lora", lambda L, *a: llama_forward(L, mcfg, *a), params, cfg, lora, False,
                           lambda: tr.llama_forward(params, mcfg, ids, mask, pos)[0], (ids, mask, pos),
                           ["alpha-not-scaled", "no-pattern"])
    save(out, "llama-lora", cfg, lora, zero_padded(logits, mask), j, None)


def build_llama_dora(checks, out):
    """DoRA on q_proj,v_proj: lora_A, lora_B and lora_magnitude_vector (PEFT saves it without ".weight")."""
    src = os.path.join(MODELS_GOLDEN, "llama-tiny-gqa")
    params, _ = tr.load_safetensors(os.path.join(src, "model.safetensors"))
    with open(os.path.join(src, "config.json")) as f:
        mcfg = json.load(f)
    ids, mask, pos, j = decoder_inputs(src)
    cfg = lora_config(["q_proj", "v_proj"], 4, 8, "models/src/test/resources/golden/llama-tiny-gqa", "CAUSAL_LM")
    cfg["use_dora"] = True
    D = mcfg["hidden_size"]
    hd = mcfg.get("head_dim") or D // mcfg["num_attention_heads"]
    sites = {}
    for i in range(mcfg["num_hidden_layers"]):
        sites[f"model.layers.{i}.self_attn.q_proj"] = (D, mcfg["num_attention_heads"] * hd)
        sites[f"model.layers.{i}.self_attn.v_proj"] = (D, mcfg["num_key_value_heads"] * hd)
    lora = make_lora(cfg, sites, 606)
    g = torch.Generator().manual_seed(607)
    for module in sites:
        A, B = lora[PREFIX + module + ".lora_A.weight"], lora[PREFIX + module + ".lora_B.weight"]
        norm = (params[module + ".weight"] + scaling(cfg, module) * (B @ A)).norm(p=2, dim=1)
        # A trained magnitude: PEFT starts it at the row norms; move it off them so the magnitude matters.
        lora[PREFIX + module + ".lora_magnitude_vector"] = norm * (1 + 0.2 * torch.randn(norm.shape, generator=g))
    logits = check_fixture(checks, "llama-dora", lambda L, *a: llama_forward(L, mcfg, *a), params, cfg, lora, False,
                           None, (ids, mask, pos), ["alpha-not-scaled", "no-dora"])
    save(out, "llama-dora", cfg, lora, zero_padded(logits, mask), j, None)


def build_bert(checks, out):
    mcfg = bert_config()
    params = bert_init(mcfg, 303)
    g = torch.Generator().manual_seed(304)
    T = 8
    ids = torch.randint(1, mcfg["vocab_size"], (3, T), generator=g)
    mask = torch.ones(3, T, dtype=torch.int64)
    mask[1, 5:] = 0  # right padding, as BERT's absolute positions need
    mask[2, 3:] = 0
    ids[mask == 0] = 0
    types = torch.zeros(3, T, dtype=torch.int64)
    types[0, 4:] = 1
    types[1, 3:5] = 1
    cfg = lora_config(["query", "value"], 4, 4, "bert-tiny (model.safetensors in this folder)", None,
                      use_rslora=True)
    E = mcfg["hidden_size"]
    sites = {f"bert.encoder.layer.{i}.attention.self.{n}": (E, E) for i in range(mcfg["num_hidden_layers"])
             for n in ("query", "value")}
    lora = make_lora(cfg, sites, 305)
    # The unpadded and padded rows must agree with the same tokens alone (padding is invisible).
    logits = check_fixture(checks, "bert-lora", lambda L, *a: bert_classifier_forward(L, mcfg, *a), params, cfg,
                           lora, False, None, (ids, mask, types), ["alpha-not-scaled", "no-pattern"])
    alone = bert_classifier_forward(Adapted(params, cfg, lora), mcfg, ids[1:2, :5], mask[1:2, :5], types[1:2, :5])
    checks.close("bert-lora: a right-padded row == its tokens alone", logits[1:2], alone, 1e-10)
    inputs = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "token_type_ids": types.tolist()}
    save(out, "bert-lora", cfg, lora, logits, inputs, (mcfg, params))


def save(out, name, cfg, lora, logits, inputs, base):
    if out is None:
        return
    folder = os.path.join(out, name)
    write_adapter(folder, cfg, lora)
    tr.save_npy(os.path.join(folder, "logits.npy"), logits)
    tr.write_json(os.path.join(folder, "inputs.json"), {k: inputs[k] for k in inputs})
    if base is not None:
        mcfg, params = base
        tr.write_json(os.path.join(folder, "config.json"), mcfg)
        tr.save_safetensors(os.path.join(folder, "model.safetensors"), params, {"format": "pt"})


# =============================================================================
# all-MiniLM-L6-v2 from its ONNX initializers
# =============================================================================

def build_minilm(checks, out, dump):
    """dump: a folder of <initializer>.npy files plus names.json (HF parameter name -> npy file, and for each
    linear module whether the ONNX weight is stored [in, out]), written by the export module's test helper
    MiniLmDump (see the README).  Rebuilds BertModel and returns last_hidden_state for fixed inputs."""
    with open(os.path.join(dump, "names.json")) as f:
        names = json.load(f)
    params = {}
    for hf_name, entry in names["tensors"].items():
        t = torch.from_numpy(np.load(os.path.join(dump, entry["file"])))
        params[hf_name] = t.T.contiguous() if entry.get("transposed") else t
    mcfg = {"hidden_size": 384, "num_attention_heads": 12, "num_hidden_layers": 6, "layer_norm_eps": 1e-12}
    ids = torch.tensor(names["input_ids"])
    mask = torch.tensor(names["attention_mask"])
    types = torch.zeros_like(ids)
    expected_base = torch.from_numpy(np.load(os.path.join(dump, names["base_output"]))).to(REF)
    cfg = lora_config(["query", "value"], 2, 4, "sentence-transformers/all-MiniLM-L6-v2", "FEATURE_EXTRACTION")
    sites = {f"encoder.layer.{i}.attention.self.{n}": (384, 384) for i in range(6) for n in ("query", "value")}
    lora = make_lora(cfg, sites, 404)
    plain = bert_encoder(Adapted(params), mcfg, ids, mask, types, "")
    m = mask[:, :, None].to(REF)
    checks.close("minilm: rebuilt BertModel == ONNX Runtime on the original file (real tokens)", plain * m,
                 expected_base * m, 1e-4)
    hidden = check_fixture(checks, "minilm-lora", lambda L, *a: bert_encoder(L, mcfg, *a, ""), params, cfg, lora,
                           False, None, (ids, mask, types), ["alpha-not-scaled"])
    inputs = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "token_type_ids": types.tolist()}
    save(out, "minilm-lora", cfg, lora, hidden * m, inputs, None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="run the checks, write nothing")
    ap.add_argument("--minilm", metavar="DUMP_DIR", help="also build the all-MiniLM-L6-v2 fixture from a dump")
    args = ap.parse_args()
    torch.set_grad_enabled(False)
    out = None if args.check else args.out
    checks = tr.Checks()
    build_gpt2(checks, out)
    build_gpt2_layers(checks, out)
    build_llama(checks, out)
    build_llama_dora(checks, out)
    build_bert(checks, out)
    if args.minilm:
        build_minilm(checks, out, args.minilm)
    checks.report()
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
