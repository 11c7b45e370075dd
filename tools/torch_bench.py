#!/usr/bin/env python3
"""PyTorch eager peer for ortune's benchmarks.

Prints ONE JSON object on stdout (progress goes to stderr), for a Java benchmark
harness to compare against.

  infer  GPT-2-small-shaped model (124M: n_embd 768, 12 layers, 12 heads, vocab 50257,
         n_positions 1024, random weights, seed 0) and/or llama2.c stories260K (from the
         .bin).  Prefill latency at batch 1 x --prompt-len tokens (median of --runs after
         --warmup), and greedy decoding of --new-tokens tokens with a KV cache
         (preallocated per-layer key/value buffers written in place).
  train  Training throughput of the GPT-2-small-shaped model at batch --batch x --seq,
         AdamW, dropout 0, labels = input_ids (HF causal-LM loss), either full fine-tuning
         or "last2" (only the last two transformer blocks and the final LayerNorm train;
         wte/wpe, the tied LM head and blocks 0..n-3 are frozen), or LoRA in plain torch
         (--lora-r 16, --lora-alpha 32, base frozen): "lora-qv" on c_attn (PEFT's q,v on
         GPT-2, whose q/k/v projection is one fused Conv1D), "lora-all" on every block
         Conv1D (PEFT's all-linear; the tied LM head is left out).
  matmul float32 --n^3 torch.mm into a preallocated output, best of --runs after 3
         warm-ups: this BLAS's peak, measured the way ortune's MatMulPeak measures ONNX
         Runtime's.  Tokens/s over
         --steps timed steps after --warmup-steps, and the peak RSS
         (getrusage ru_maxrss).  Each trainable setting runs in its own process, so each
         peak RSS is its own.

Definitions (the Java harness should measure the same things):
  prefill_ms          one forward over the prompt computing logits for ALL positions
                      (what HF's forward does); prefill_last_ms computes only the last
                      position's logits (what a generate loop needs).
  decode_tokens_per_s greedy generation of N new tokens: the prefill (prompt -> cache)
                      yields token 1; then N-1 single-token steps with the cache yield
                      tokens 2..N.  decode_tokens_per_s = (N-1) / time(steps);
                      e2e_tokens_per_s = N / (time(prefill) + time(steps)).  Median over
                      --decode-runs runs.
  train tokens_per_s  batch * seq * steps / time(steps); a step = forward, loss,
                      backward, AdamW step, zero_grad.

OpenBLAS kernels: OpenBLAS 0.3.21 falls back to its slow Prescott kernels on CPUs it does
not recognize (newer Xeons), so the script picks the best kernel for this CPU from
/proc/cpuinfo (SkylakeX with avx512f, Haswell with avx2, else OpenBLAS's own choice),
drops OPENBLAS_L2_SIZE, and re-executes itself with that environment when it differs
(--keep-openblas-env keeps the environment as given; the Java harness sets it itself):

  /usr/bin/python3 tools/torch_bench.py matmul     # this BLAS's float32 2048^3 peak
  /usr/bin/python3 tools/torch_bench.py infer
  /usr/bin/python3 tools/torch_bench.py train --trainable lora-qv
"""

import os
import sys


def openblas_coretype(flags):
    """The OpenBLAS kernel for a CPU with these /proc/cpuinfo flags, or None (OpenBLAS decides)."""
    if "avx512f" in flags:
        return "SkylakeX"
    if "avx2" in flags:
        return "Haswell"
    return None


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _wanted_openblas_env(env):
    out = {k: v for k, v in env.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    core = openblas_coretype(cpu_flags())
    if core is not None:
        out["OPENBLAS_CORETYPE"] = core
    return out


if "--keep-openblas-env" not in sys.argv and "TORCH_BENCH_REEXEC" not in os.environ:
    # must happen before torch (and so OpenBLAS) is loaded
    _want = _wanted_openblas_env(os.environ)
    if any(os.environ.get(k) != _want.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")):
        _want["TORCH_BENCH_REEXEC"] = "OPENBLAS_CORETYPE=%s (was %s), OPENBLAS_L2_SIZE unset (was %s)" % (
            _want.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE"))
        os.execve(sys.executable, [sys.executable] + sys.argv, _want)

import argparse
import ctypes
import json
import math
import platform
import resource
import statistics
import struct
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_STORIES = os.path.join(REPO, "testdata", "models", "stories260K.bin")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# =============================================================================
# environment / BLAS report
# =============================================================================

def blas_info():
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and any(s in parts[5].lower() for s in ("blas", "lapack", "mkl", "gomp", "omp")):
                libs.add(parts[5])
    info = {
        "loaded_libraries": sorted({os.path.realpath(p) for p in libs}),
        "torch_blas_info": None,
        "torch_num_threads": torch.get_num_threads(),
        "torch_num_interop_threads": torch.get_num_interop_threads(),
        "mkldnn_enabled": torch.backends.mkldnn.is_available(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                                "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        "openblas_env_set_by_reexec": os.environ.get("TORCH_BENCH_REEXEC") or None,
        "openblas_coretype_for_cpu": openblas_coretype(cpu_flags()),
    }
    import re
    for key in ("BLAS_INFO", "LAPACK_INFO"):
        m = re.search(r"\b%s=([^,\s]+)" % key, torch.__config__.show())
        info["torch_" + key.lower()] = m.group(1) if m else None
    ob = [p for p in info["loaded_libraries"] if "openblas" in os.path.basename(p).lower()]
    if ob:
        try:
            lib = ctypes.CDLL(ob[0])
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info["openblas"] = {
                "library": ob[0],
                "config": lib.openblas_get_config().decode(),
                "corename": lib.openblas_get_corename().decode(),
                "num_threads": lib.openblas_get_num_threads(),
                "parallel": {0: "sequential", 1: "pthreads", 2: "openmp"}.get(lib.openblas_get_parallel(),
                                                                            lib.openblas_get_parallel()),
            }
        except (OSError, AttributeError) as e:
            info["openblas"] = {"library": ob[0], "error": str(e)}
    blas3 = [p for p in info["loaded_libraries"] if os.path.basename(p).startswith("libblas.so")]
    if blas3:
        info["libblas_so_3"] = blas3[0]
        if "openblas-pthread" in blas3[0]:
            info["libblas_provider"] = "libopenblas0-pthread"
        elif "openblas-openmp" in blas3[0]:
            info["libblas_provider"] = "libopenblas0-openmp"
    return info


def machine_info():
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"python": platform.python_version(), "torch": torch.__version__, "cpu": cpu,
            "logical_cpus": os.cpu_count(), "loadavg_at_start": list(os.getloadavg())}


def rss_now_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return None


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # ru_maxrss is KiB on Linux


# =============================================================================
# GPT-2 (HF GPT2LMHeadModel math, eager, fp32)
# =============================================================================

class Conv1D(nn.Module):
    """HF Conv1D: y = x @ W + b, W stored [in, out]."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        shape = x.shape[:-1] + (self.weight.shape[1],)
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(shape)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class GPT2Block(nn.Module):
    def __init__(self, E, H, eps):
        super().__init__()
        self.H = H
        self.ln_1 = nn.LayerNorm(E, eps=eps)
        self.c_attn = Conv1D(E, 3 * E)
        self.c_proj = Conv1D(E, E)
        self.ln_2 = nn.LayerNorm(E, eps=eps)
        self.c_fc = Conv1D(E, 4 * E)
        self.mlp_proj = Conv1D(4 * E, E)

    def forward(self, x, cache=None, pos=0):
        B, T, E = x.shape
        H, hd = self.H, E // self.H
        q, k, v = self.c_attn(self.ln_1(x)).split(E, dim=2)
        q = q.view(B, T, H, hd).transpose(1, 2)
        k = k.view(B, T, H, hd).transpose(1, 2)
        v = v.view(B, T, H, hd).transpose(1, 2)
        if cache is not None:
            kc, vc = cache
            kc[:, :, pos:pos + T] = k
            vc[:, :, pos:pos + T] = v
            k, v = kc[:, :, :pos + T], vc[:, :, :pos + T]
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd)
        if T > 1:
            S = k.shape[2]
            causal = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
            att = att.masked_fill(~causal, torch.finfo(att.dtype).min)
        a = torch.matmul(torch.softmax(att, dim=-1), v).transpose(1, 2).reshape(B, T, E)
        x = x + self.c_proj(a)
        return x + self.mlp_proj(gelu_new(self.c_fc(self.ln_2(x))))


class GPT2(nn.Module):
    def __init__(self, vocab=50257, n_positions=1024, E=768, L=12, H=12, eps=1e-5):
        super().__init__()
        self.E, self.L, self.H = E, L, H
        self.wte = nn.Embedding(vocab, E)
        self.wpe = nn.Embedding(n_positions, E)
        self.h = nn.ModuleList([GPT2Block(E, H, eps) for _ in range(L)])
        self.ln_f = nn.LayerNorm(E, eps=eps)

    def init_hf(self, seed, std=0.02):
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
                    p.fill_(1.0)
                elif name.endswith("bias"):
                    p.zero_()
                else:
                    s = std / math.sqrt(2 * self.L) if ("c_proj.weight" in name or "mlp_proj.weight" in name) else std
                    p.copy_(torch.randn(p.shape, generator=g) * s)
        return self

    def forward(self, ids, caches=None, pos=0, last_only=False):
        T = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(pos, pos + T))
        for i, blk in enumerate(self.h):
            x = blk(x, None if caches is None else caches[i], pos)
        x = self.ln_f(x)
        if last_only:
            x = x[:, -1:]
        return F.linear(x, self.wte.weight)  # tied LM head

    def new_cache(self, B, max_len):
        hd = self.E // self.H
        return [(torch.empty(B, self.H, max_len, hd), torch.empty(B, self.H, max_len, hd)) for _ in self.h]

    def load_hf(self, p):
        """Loads HF-named GPT-2 tensors (used only by the self-check)."""
        m = {"transformer.wte.weight": "wte.weight", "transformer.wpe.weight": "wpe.weight",
             "transformer.ln_f.weight": "ln_f.weight", "transformer.ln_f.bias": "ln_f.bias"}
        for i in range(self.L):
            for a, b in (("ln_1", "ln_1"), ("attn.c_attn", "c_attn"), ("attn.c_proj", "c_proj"), ("ln_2", "ln_2"),
                         ("mlp.c_fc", "c_fc"), ("mlp.c_proj", "mlp_proj")):
                for s in ("weight", "bias"):
                    m[f"transformer.h.{i}.{a}.{s}"] = f"h.{i}.{b}.{s}"
        self.load_state_dict({m[k]: v for k, v in p.items()})
        return self


# =============================================================================
# llama2.c stories260K (model.py math, eager, fp32)
# =============================================================================

class Llama2c(nn.Module):
    def __init__(self, cfg, p):
        super().__init__()
        self.cfg = cfg
        self.w = {k: v.float().contiguous() for k, v in p.items()}
        hd = cfg["dim"] // cfg["n_heads"]
        freqs = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2)[: hd // 2].float() / hd))
        ang = torch.outer(torch.arange(cfg["max_seq_len"]).float(), freqs)
        self.cos, self.sin = torch.cos(ang), torch.sin(ang)

    @staticmethod
    def rope(x, cos, sin):
        xr, xi = x.reshape(x.shape[:-1] + (-1, 2)).unbind(-1)
        cos, sin = cos[None, :, None, :], sin[None, :, None, :]
        return torch.stack([xr * cos - xi * sin, xr * sin + xi * cos], dim=-1).flatten(3)

    def rms(self, x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.cfg["norm_eps"]) * w

    def forward(self, ids, caches=None, pos=0, last_only=False):
        c, w = self.cfg, self.w
        B, T = ids.shape
        H, KV = c["n_heads"], c["n_kv_heads"]
        hd = c["dim"] // H
        cos, sin = self.cos[pos:pos + T], self.sin[pos:pos + T]
        h = F.embedding(ids, w["tok_embeddings.weight"])
        for i in range(c["n_layers"]):
            pre = f"layers.{i}."
            x = self.rms(h, w[pre + "attention_norm.weight"])
            q = self.rope(F.linear(x, w[pre + "attention.wq.weight"]).view(B, T, H, hd), cos, sin)
            k = self.rope(F.linear(x, w[pre + "attention.wk.weight"]).view(B, T, KV, hd), cos, sin)
            v = F.linear(x, w[pre + "attention.wv.weight"]).view(B, T, KV, hd)
            if caches is not None:
                kc, vc = caches[i]
                kc[:, pos:pos + T] = k
                vc[:, pos:pos + T] = v
                k, v = kc[:, :pos + T], vc[:, :pos + T]
            S = k.shape[1]
            k = k.repeat_interleave(H // KV, dim=2)
            v = v.repeat_interleave(H // KV, dim=2)
            q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
            att = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(hd)
            if T > 1:
                causal = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
                att = att.masked_fill(~causal, float("-inf"))
            o = torch.matmul(torch.softmax(att, dim=-1), v).transpose(1, 2).reshape(B, T, -1)
            h = h + F.linear(o, w[pre + "attention.wo.weight"])
            x = self.rms(h, w[pre + "ffn_norm.weight"])
            h = h + F.linear(F.silu(F.linear(x, w[pre + "feed_forward.w1.weight"]))
                             * F.linear(x, w[pre + "feed_forward.w3.weight"]), w[pre + "feed_forward.w2.weight"])
        h = self.rms(h, w["norm.weight"])
        if last_only:
            h = h[:, -1:]
        return F.linear(h, w["tok_embeddings.weight"] if c["shared_classifier"] else w["output.weight"])

    def new_cache(self, B, max_len):
        c = self.cfg
        hd = c["dim"] // c["n_heads"]
        return [(torch.empty(B, max_len, c["n_kv_heads"], hd), torch.empty(B, max_len, c["n_kv_heads"], hd))
                for _ in range(c["n_layers"])]


# =============================================================================
# inference
# =============================================================================

def greedy_generate(model, prompt, n_new):
    """Returns (ids, prefill_s, steps_s)."""
    B, T = prompt.shape
    caches = model.new_cache(B, T + n_new)
    t0 = time.perf_counter()
    logits = model(prompt, caches, 0, last_only=True)
    nxt = logits[:, -1].argmax(-1, keepdim=True)
    t1 = time.perf_counter()
    out = [nxt]
    for i in range(n_new - 1):
        logits = model(nxt, caches, T + i)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
    t2 = time.perf_counter()
    return torch.cat(out, 1), t1 - t0, t2 - t1


def greedy_recompute(model, prompt, n_new):
    ids = prompt
    for _ in range(n_new):
        nxt = model(ids, last_only=True)[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], 1)
    return ids[:, prompt.shape[1]:]


def time_it(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return ts


def summarize_ms(ts):
    ms = sorted(t * 1000 for t in ts)
    return {"median": statistics.median(ms), "min": ms[0], "max": ms[-1], "runs": len(ms)}


def bench_infer_model(name, model, vocab, args):
    g = torch.Generator().manual_seed(args.seed)
    prompt = torch.randint(0, vocab, (1, args.prompt_len), generator=g)
    res = {}
    with torch.inference_mode():
        log(f"[{name}] prefill {args.prompt_len} tokens ...")
        res["prefill_ms"] = summarize_ms(time_it(lambda: model(prompt), args.warmup, args.runs))
        res["prefill_last_ms"] = summarize_ms(time_it(lambda: model(prompt, last_only=True), args.warmup, args.runs))
        res["prefill_tokens_per_s"] = args.prompt_len / (res["prefill_ms"]["median"] / 1000)
        log(f"[{name}] greedy decode {args.new_tokens} tokens with KV cache ...")
        greedy_generate(model, prompt, min(4, args.new_tokens))  # warm-up
        runs = [greedy_generate(model, prompt, args.new_tokens) for _ in range(args.decode_runs)]
        ids = runs[0][0]
        dec = [(args.new_tokens - 1) / r[2] for r in runs]
        e2e = [args.new_tokens / (r[1] + r[2]) for r in runs]
        res["decode"] = {
            "new_tokens": args.new_tokens,
            "prompt_len": args.prompt_len,
            "decode_tokens_per_s": statistics.median(dec),
            "decode_ms_per_token": 1000 / statistics.median(dec),
            "e2e_tokens_per_s": statistics.median(e2e),
            "runs": args.decode_runs,
            "generated_ids_head": ids[0, :16].tolist(),
        }
        # the cached decode must equal full recomputation (first few tokens)
        n_chk = min(args.new_tokens, 8)
        res["decode"]["cache_matches_recompute_first_%d" % n_chk] = bool(
            torch.equal(greedy_recompute(model, prompt, n_chk), ids[:, :n_chk]))
    return res


def self_check():
    """The bench models compute the same function as tools/torch_reference.py."""
    sys.path.insert(0, HERE)
    import torch_reference as ref
    out = {}
    cfg = ref.gpt2_config(vocab=96, n_positions=32, n_embd=32, n_layer=2, n_head=4, initializer_range=0.2)
    p = ref.gpt2_init(cfg, seed=7)
    m = GPT2(vocab=96, n_positions=32, E=32, L=2, H=4).load_hf(p)
    ids = torch.randint(0, 96, (2, 12), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        a = m(ids)
        b, _ = ref.gpt2_forward(p, cfg, ids)
        out["gpt2_vs_reference_max_abs_diff"] = float((a.double() - b).abs().max())
        cache = m.new_cache(2, 12)
        parts = [m(ids[:, :5], cache, 0)] + [m(ids[:, t:t + 1], cache, t) for t in range(5, 12)]
        out["gpt2_cache_vs_full_max_abs_diff"] = float((torch.cat(parts, 1) - a).abs().max())
    return out


def run_infer(args):
    res = {"mode": "infer", "machine": machine_info(), "blas": blas_info(), "self_check": self_check(),
           "settings": {"threads": args.threads, "prompt_len": args.prompt_len, "new_tokens": args.new_tokens,
                        "warmup": args.warmup, "runs": args.runs, "decode_runs": args.decode_runs,
                        "batch": 1, "dtype": "float32", "inference_mode": True}}
    models = ["gpt2-small", "stories260K"] if args.model == "both" else [args.model]
    res["models"] = {}
    for name in models:
        if name == "gpt2-small":
            log("[gpt2-small] building 124M model, seed", args.seed)
            model = GPT2().init_hf(args.seed).eval()
            vocab = 50257
            extra = {"params": sum(p.numel() for p in model.parameters()),
                     "config": {"n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257,
                                "n_positions": 1024, "init": "HF-style normal(0.02), seed %d" % args.seed}}
        else:
            sys.path.insert(0, HERE)
            import torch_reference as ref
            cfg, p = ref.load_llama2c_bin(args.stories_bin)
            model = Llama2c(cfg, p)
            vocab = cfg["vocab_size"]
            with torch.no_grad():
                ids = torch.tensor([[1, 403, 407, 261, 378]])
                d = float((model(ids).double() - ref.llama2c_forward(p, cfg, ids)).abs().max())
            extra = {"config": {k: cfg[k] for k in ("dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads",
                                                    "vocab_size", "max_seq_len")},
                     "checkpoint": os.path.relpath(args.stories_bin, REPO),
                     "params": sum(t.numel() for t in p.values()),
                     "vs_reference_max_abs_diff": d}
        r = bench_infer_model(name, model, vocab, args)
        r.update(extra)
        res["models"][name] = r
        del model
    res["peak_rss_mib"] = peak_rss_mib()
    return res


# =============================================================================
# matmul peak and LoRA (plain torch)
# =============================================================================

def matmul_peak(n, runs):
    """float32 n x n x n torch.mm into a preallocated output, 3 warm-ups, best of runs (ortune's MatMulPeak)."""
    g = torch.Generator().manual_seed(1)
    a = torch.rand(n, n, generator=g) * 2 - 1
    b = torch.rand(n, n, generator=g) * 2 - 1
    c = torch.empty(n, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        ts.append(time.perf_counter() - t0)
    best = min(ts)
    return {"n": n, "runs": runs, "best_s": best, "median_s": statistics.median(ts),
            "peak_flops": 2.0 * n ** 3 / best, "median_flops": 2.0 * n ** 3 / statistics.median(ts)}


class LoraConv1D(nn.Module):
    """PEFT's LoRA on an HF Conv1D: y = base(x) + (x A^T) B^T * alpha/r; base frozen, A Kaiming-uniform, B zero."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        n_in, n_out = base.weight.shape
        self.lora_A = nn.Parameter(torch.empty(r, n_in))
        self.lora_B = nn.Parameter(torch.zeros(n_out, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + F.linear(F.linear(x, self.lora_A), self.lora_B) * self.scaling


# PEFT's target names on GPT-2: "q,v" is c_attn (the fused q/k/v projection, PEFT's GPT-2 default target);
# all-linear is every Conv1D of the blocks (the tied LM head is left out, as PEFT does).
LORA_TARGETS = {"lora-qv": ("c_attn",), "lora-all": ("c_attn", "c_proj", "c_fc", "mlp_proj")}


def apply_lora(model, targets, r, alpha):
    for p in model.parameters():
        p.requires_grad_(False)
    for blk in model.h:
        for name in targets:
            setattr(blk, name, LoraConv1D(getattr(blk, name), r, alpha))
    return model


def run_matmul(args):
    log(f"[matmul] float32 {args.n}^3, {args.threads} threads, best of {args.runs}")
    return {"mode": "matmul", "machine": machine_info(), "blas": blas_info(),
            "matmul_peak": matmul_peak(args.n, args.runs)}


# =============================================================================
# training
# =============================================================================

def run_train_one(args, trainable):
    torch.manual_seed(args.seed)
    log(f"[train/{trainable}] building 124M model ...")
    model = GPT2().init_hf(args.seed).train()
    if trainable == "last2":
        for p in model.parameters():
            p.requires_grad_(False)
        for mod in (model.h[-2], model.h[-1], model.ln_f):
            for p in mod.parameters():
                p.requires_grad_(True)
    elif trainable in LORA_TARGETS:
        apply_lora(model, LORA_TARGETS[trainable], args.lora_r, args.lora_alpha)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=args.weight_decay)
    g = torch.Generator().manual_seed(args.seed)
    batches = [torch.randint(0, 50257, (args.batch, args.seq), generator=g)
               for _ in range(args.warmup_steps + args.steps)]
    rss_init = rss_now_mib()

    def step(ids):
        logits = model(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    losses = []
    for i in range(args.warmup_steps):
        losses.append(step(batches[i]))
        log(f"[train/{trainable}] warm-up step {i + 1}: loss {losses[-1]:.4f}")
    times = []
    for i in range(args.steps):
        t0 = time.perf_counter()
        losses.append(step(batches[args.warmup_steps + i]))
        times.append(time.perf_counter() - t0)
        log(f"[train/{trainable}] step {i + 1}: loss {losses[-1]:.4f}, {times[-1]:.2f} s")
    tokens = args.batch * args.seq
    return {
        "trainable": trainable,
        "trainable_params": sum(p.numel() for p in params),
        "total_params": sum(p.numel() for p in model.parameters()),
        "tokens_per_s": tokens * len(times) / sum(times),
        "step_s": {"median": statistics.median(times), "min": min(times), "max": max(times), "steps": len(times)},
        "losses": losses,
        "rss_after_init_mib": rss_init,
        "peak_rss_mib": peak_rss_mib(),
    }


def run_train(args):
    settings = {"threads": args.threads, "batch": args.batch, "seq": args.seq, "steps": args.steps,
                "warmup_steps": args.warmup_steps, "optimizer": "AdamW", "lr": args.lr,
                "weight_decay": args.weight_decay, "dropout": 0.0, "dtype": "float32",
                "model": "gpt2-small-shaped 124M (n_embd 768, 12 layers, 12 heads, vocab 50257, n_positions 1024), "
                         "random init seed %d" % args.seed,
                "last2_definition": "only h[-2], h[-1] and ln_f train; wte (tied LM head), wpe, h[0..-3] frozen",
                "lora": {"r": args.lora_r, "alpha": args.lora_alpha, "dropout": 0.0, "targets": LORA_TARGETS,
                         "base": "frozen"},
                "loss": "HF causal-LM loss, labels = input_ids (random tokens), mean over batch*(seq-1)"}
    if args.trainable != "both":
        return {"mode": "train", "machine": machine_info(), "blas": blas_info(), "settings": settings,
                "runs": {args.trainable: run_train_one(args, args.trainable)}}
    # one process per setting so that each peak RSS is its own
    res = {"mode": "train", "machine": machine_info(), "blas": blas_info(), "settings": settings, "runs": {}}
    for t in ("full", "last2"):
        argv = [sys.executable, os.path.abspath(__file__), "train", "--trainable", t]
        for k in ("batch", "seq", "steps", "warmup_steps", "lr", "weight_decay", "threads", "seed", "lora_r",
                  "lora_alpha"):
            argv += ["--" + k.replace("_", "-"), str(getattr(args, k))]
        if args.keep_openblas_env:
            argv.append("--keep-openblas-env")
        out = subprocess.run(argv, stdout=subprocess.PIPE, check=True).stdout
        res["runs"][t] = json.loads(out)["runs"][t]
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)

    def common(p):
        p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default %(default)s)")
        p.add_argument("--seed", type=int, default=0, help="seed for weights and inputs (default %(default)s)")
        p.add_argument("--keep-openblas-env", action="store_true",
                       help="do not re-execute without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE")

    pi = sub.add_parser("infer", help="prefill latency and KV-cache greedy decode throughput",
                        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    common(pi)
    pi.add_argument("--model", choices=("gpt2-small", "stories260K", "both"), default="both")
    pi.add_argument("--prompt-len", type=int, default=128, help="prompt tokens, batch 1")
    pi.add_argument("--new-tokens", type=int, default=64, help="greedy tokens to generate")
    pi.add_argument("--warmup", type=int, default=3, help="untimed prefill runs")
    pi.add_argument("--runs", type=int, default=10, help="timed prefill runs (median reported)")
    pi.add_argument("--decode-runs", type=int, default=3, help="timed generate runs (median reported)")
    pi.add_argument("--stories-bin", default=DEFAULT_STORIES, help="llama2.c checkpoint")

    pt = sub.add_parser("train", help="training tokens/s and peak RSS of the gpt2-small-shaped model",
                        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    common(pt)
    pt.add_argument("--trainable", choices=("full", "last2", "lora-qv", "lora-all", "both"), default="both",
                    help="full fine-tuning, only the last two blocks (+ ln_f), LoRA on c_attn (PEFT's q,v on GPT-2) "
                         "or on every block linear, or full and last2 (separate processes)")
    pt.add_argument("--lora-r", type=int, default=16)
    pt.add_argument("--lora-alpha", type=float, default=32.0)
    pt.add_argument("--batch", type=int, default=4)
    pt.add_argument("--seq", type=int, default=256)
    pt.add_argument("--steps", type=int, default=3, help="timed optimizer steps")
    pt.add_argument("--warmup-steps", type=int, default=1, help="untimed optimizer steps")
    pt.add_argument("--lr", type=float, default=1e-4)
    pt.add_argument("--weight-decay", type=float, default=0.01)
    pm = sub.add_parser("matmul", help="float32 n^3 torch.mm peak of this BLAS",
                        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    common(pm)
    pm.add_argument("--n", type=int, default=2048)
    pm.add_argument("--runs", type=int, default=10, help="timed runs (the best counts)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    res = {"infer": run_infer, "train": run_train, "matmul": run_matmul}[args.mode](args)
    res["loadavg_at_end"] = list(os.getloadavg())
    if res["machine"]["loadavg_at_start"][0] > (os.cpu_count() or 1):
        res["warning"] = ("machine was busy before the run (1-minute load average above the core count): "
                          "figures are not representative")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
