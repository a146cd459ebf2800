#!/usr/bin/env python3
"""Eager-PyTorch peer of EditUnit's ME-PPL forward, for `./editunit bench --peer`.

Written from the GPT-2 equations (no Hugging Face code): learned positions, pre-LayerNorm
blocks, Conv1D weights stored [in, out], GELU (tanh approximation), tied LM head, additive
attention bias 0 / -1e9 (causal and key padding), as EditUnit's Gpt2Architecture computes it.

Usage: peer_forward.py WEIGHTS.safetensors INPUT.json
INPUT.json: {"config": {"layers", "heads", "width", "eps"}, "batches": [[[[ids...], ...], ...], ...],
             "padId": int, "threads": int, "repeat": int, "mode": "scored" | "full"}
The batches are the model inputs exactly as EditUnit batches them: each batch a list of rows, each
row one or more sequences packed one after another, each sequence at its own positions 0..n-1 and
attending only to itself, causally (each sequence's first token is context only). mode "scored": the LM head runs only on the rows that predict a token and
log P = z_target - logsumexp(z) (EditUnit's path); "full": logits of every position,
log_softmax, gather (what a Hugging Face model plus a perplexity metric computes).
Prints one JSON document on stdout; progress on stderr.
"""
import json
import math
import os
import struct
import sys
import time

def main():
    weights_path, input_path = sys.argv[1], sys.argv[2]
    with open(input_path) as f:
        job = json.load(f)
    torch = import_torch(int(job["threads"]))

    cfg = job["config"]
    w = read_safetensors(weights_path, torch)
    batches = job["batches"]
    pad = int(job["padId"])
    mode = job.get("mode", "scored")
    repeat = int(job.get("repeat", 3))

    with torch.inference_mode():
        run_all(w, cfg, batches[:1], pad, mode, torch)  # warm-up batch
        runs = []
        result = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = run_all(w, cfg, batches, pad, mode, torch)
            runs.append(time.perf_counter() - t0)
            print("[peer] pass %.3fs" % runs[-1], file=sys.stderr)
    per_sentence, tokens, nll = result
    out = {
        "torch": torch.__version__,
        "blas": blas_library(),
        "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"),
        "threads": torch.get_num_threads(),
        "mode": mode,
        "runSeconds": runs,
        "bestSeconds": min(runs),
        "sentences": len(per_sentence),
        "tokens": tokens,
        "ppl": sum(per_sentence) / len(per_sentence),
        "corpusPpl": math.exp(nll / tokens),
    }
    json.dump(out, sys.stdout)
    print()


def run_all(w, cfg, batches, pad, mode, torch):
    per_sentence = []
    tokens = 0
    nll_sum = 0.0
    for rows in batches:
        for lp in log_probs(w, cfg, rows, pad, mode, torch):
            nll = -float(lp.double().sum())
            per_sentence.append(math.exp(nll / lp.numel()))
            tokens += lp.numel()
            nll_sum += nll
    return per_sentence, tokens, nll_sum


def log_probs(w, cfg, rows, pad, mode, torch):
    """log P(x_t | x_<t), t = 1..T_i-1, of each sequence of one batch of packed, right-padded rows."""
    b, t = len(rows), max(sum(len(s) for s in row) for row in rows)
    ids = torch.full((b, t), pad, dtype=torch.long)
    pos = torch.zeros((b, t), dtype=torch.long)
    seg = torch.full((b, t), -1, dtype=torch.long)
    starts, lengths, k = [], [], 0
    for r, row in enumerate(rows):
        off = 0
        for s in row:
            n = len(s)
            ids[r, off:off + n] = torch.tensor(s, dtype=torch.long)
            pos[r, off:off + n] = torch.arange(n)
            seg[r, off:off + n] = k
            starts.append(r * t + off)
            lengths.append(n)
            k += 1
            off += n
    # a token attends the earlier tokens of its own sequence and itself; a padding position itself only
    same = (seg.unsqueeze(2) == seg.unsqueeze(1)) & (seg.unsqueeze(2) >= 0)
    allowed = (same & torch.tril(torch.ones(t, t, dtype=torch.bool))) | (
        (seg < 0).unsqueeze(2) & torch.eye(t, dtype=torch.bool))
    bias = (allowed.to(torch.float32) - 1.0).unsqueeze(1) * 1e9  # [B, 1, T, T]
    h = hidden_states(w, cfg, ids, None, torch, positions=pos, bias=bias).reshape(b * t, -1)
    wte = w["transformer.wte.weight"]                     # [V, d], tied head
    flat_ids = ids.reshape(-1)
    at = [torch.arange(n - 1) + st for st, n in zip(starts, lengths)]
    nxt = [flat_ids[a + 1] for a in at]
    if mode == "full":
        logp = torch.log_softmax(h @ wte.t(), dim=-1)     # every position: [B·T, V]
        return [logp[a].gather(1, x.unsqueeze(-1)).squeeze(-1) for a, x in zip(at, nxt)]
    logits = h[torch.cat(at)] @ wte.t()                   # [N, V]
    lp = logits.gather(1, torch.cat(nxt).unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)
    return list(torch.split(lp, [n - 1 for n in lengths]))


def hidden_states(w, cfg, ids, mask, torch, mlp_hook=None, positions=None, bias=None):
    """Final hidden states [B, T, d]. mlp_hook(layer, key, out), if given, sees each block's MLP key (the input
    of the down-projection) and output and returns the output to continue with (peer_rome.py's δ and reads).
    positions ([B, T]) and bias ([B, 1, T, T]) replace 0..T-1 and the causal, key-padding bias of mask (packed
    rows)."""
    layers, heads, d, eps = int(cfg["layers"]), int(cfg["heads"]), int(cfg["width"]), float(cfg["eps"])
    hd = d // heads
    b, t = ids.shape
    F = torch.nn.functional
    wpe = w["transformer.wpe.weight"]
    x = w["transformer.wte.weight"][ids] + (wpe[:t] if positions is None else wpe[positions])
    if bias is None:
        causal = torch.tril(torch.ones(t, t))
        bias = ((causal.view(1, 1, t, t) * mask.view(b, 1, 1, t)) - 1.0) * 1e9
    scale = 1.0 / math.sqrt(hd)
    c = math.sqrt(2.0 / math.pi)
    for l in range(layers):
        p = "transformer.h.%d." % l
        a = F.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (z.reshape(b, t, heads, hd).transpose(1, 2) for z in qkv.split(d, dim=-1))
        probs = torch.softmax((q @ k.transpose(-1, -2)) * scale + bias, dim=-1)
        att = (probs @ v).transpose(1, 2).reshape(b, t, d)
        x = x + (att @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"])
        m = F.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        u = m @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"]
        key = 0.5 * u * (1.0 + torch.tanh(c * (u + 0.044715 * u.pow(3))))
        out = key @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        x = x + (out if mlp_hook is None else mlp_hook(l, key, out))
    return F.layer_norm(x, (d,), w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)


def read_safetensors(path, torch):
    """A minimal safetensors reader: 8-byte little-endian header length, JSON header, raw data."""
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
    sizes = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in dtypes:
            raise SystemExit("peer: unsupported dtype %s of %s" % (info["dtype"], name))
        begin, end = info["data_offsets"]
        count = (end - begin) // sizes[info["dtype"]]
        t = torch.frombuffer(data, dtype=dtypes[info["dtype"]], offset=begin, count=count) if count else \
            torch.zeros(0, dtype=dtypes[info["dtype"]])
        out[name] = t.reshape(info["shape"]).to(torch.float32).clone()
    return out


def import_torch(threads):
    """torch, with OpenBLAS and torch on `threads` threads."""
    # OpenBLAS reads these when it is loaded, i.e. at `import torch`
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    if "OPENBLAS_CORETYPE" not in os.environ and has_avx512():
        # Debian bookworm's OpenBLAS does not recognise Zen 4 and falls back to a slow kernel
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    import torch
    torch.set_num_threads(threads)
    return torch


def has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def blas_library():
    """The BLAS library the process loaded (Debian's torch uses the system libblas.so.3)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(os.path.realpath(p) for p in libs)
    except OSError:
        return []


if __name__ == "__main__":
    main()
