#!/usr/bin/env python3
"""Eager-PyTorch peer of EditUnit's ROME edit, for `./editunit bench-edit --peer`.

Written from ROME's equations (docs: the algorithms spec, sections 1.3-1.6), on the GPT-2 forward of
peer_forward.py: the key k̄ is the mean of the layer's MLP keys at the subject's last token over the context
templates, k^u the bare prompt's; v* = v_init + δ, with δ found by Adam on
    mean NLL(target | template_j(prompt)) + kl · KL(P_δ ‖ P_0)("{s} is a") + wd · ‖δ‖ / ‖v_init‖²
(δ added to the MLP output at the subject's last token of every prompt, norm clamped to clamp · ‖v_init‖ after
each step, early stop below early_stop, at most steps − 1 updates), and
    ΔW = (v* − W k^u − b) (C⁻¹ k̄)ᵀ / ((C⁻¹ k̄)ᵀ k^u)
applied to the down-projection (Conv1D [in, out]) and taken back. A plain eager search: the whole batch of
prompts through every block at every step, as the original implementation runs it; the LM head and log-softmax
only on the rows the loss reads (the original takes every position's; that would only slow the peer down).

Usage: peer_rome.py WEIGHTS.safetensors INPUT.json
WEIGHTS: the model's tensors. INPUT.json also names the raw float64 file of the layer's second moment C
("f64Files": {"covariance": path}, "covarianceDim": d_k).
INPUT.json: {"config": {...}, "padId", "threads", "layer", "settings": {"steps", "lr", "weightDecay", "kl",
             "clamp", "earlyStop"}, "cases": [{"id", "keySequences", "keyPositions", "sequences", "lookup",
             "targetSequence", "targetPosition", "targetToken"}]}
The token ids are EditUnit's (same tokenizer, templates and prompts). Prints one JSON document on stdout: per
case the seconds of the edit (keys, search, update, restore) and the update's vectors; progress on stderr.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_forward  # noqa: E402  (the GPT-2 forward and the safetensors reader)


def main():
    weights_path, input_path = sys.argv[1], sys.argv[2]
    with open(input_path) as f:
        job = json.load(f)
    torch = peer_forward.import_torch(int(job["threads"]))

    w = peer_forward.read_safetensors(weights_path, torch)
    dim = int(job["covarianceDim"])
    c = read_f64(job["f64Files"]["covariance"], torch).reshape(dim, dim)
    chol = torch.linalg.cholesky(c)  # once per layer, as EditUnit caches its factor (untimed on both sides)
    cfg = job["config"]
    layer = int(job["layer"])
    s = job["settings"]
    pad = int(job["padId"])

    edit(w, cfg, layer, s, chol, pad, job["cases"][0], torch)  # warm-up
    out_cases = []
    for case in job["cases"]:
        t0 = time.perf_counter()
        r = edit(w, cfg, layer, s, chol, pad, case, torch)
        r["seconds"] = time.perf_counter() - t0
        r["id"] = case["id"]
        print("[peer] rome %s: %.3fs, %d steps" % (case["id"], r["seconds"], r["steps"]), file=sys.stderr)
        out_cases.append(r)
    json.dump({"torch": torch.__version__, "blas": peer_forward.blas_library(),
               "threads": torch.get_num_threads(), "cases": out_cases}, sys.stdout)
    print()


def read_f64(path, torch):
    """A raw little-endian float64 file."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=torch.float64).clone()


def batch(seqs, pad, torch):
    t = max(len(q) for q in seqs)
    ids = torch.full((len(seqs), t), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.float32)
    for i, q in enumerate(seqs):
        ids[i, :len(q)] = torch.tensor(q, dtype=torch.long)
        mask[i, :len(q)] = 1.0
    return ids, mask


def edit(w, cfg, layer, s, chol, pad, case, torch):
    # keys: the layer's MLP keys and outputs at the subject's last token of every context template
    ids, mask = batch(case["keySequences"], pad, torch)
    kpos = torch.tensor(case["keyPositions"])
    rows = torch.arange(len(case["keySequences"]))
    read = {}

    def capture(l, key, out):
        if l == layer:
            read["k"] = key[rows, kpos]
            read["o"] = out[rows, kpos]
        return out

    with torch.no_grad():
        peer_forward.hidden_states(w, cfg, ids, mask, torch, capture)
    k_bar = read["k"].double().mean(0)
    k_u = read["k"][0].double()
    out_u = read["o"][0].double()

    delta, v_init, steps = value_search(w, cfg, layer, s, pad, case, torch)
    v_star = v_init.double() + delta.double()
    u = torch.cholesky_solve(k_bar.unsqueeze(1), chol).squeeze(1)
    right = (v_star - out_u) / torch.dot(u, k_u)

    name = "transformer.h.%d.mlp.c_proj.weight" % layer
    dw = torch.outer(u, right).float()  # Conv1D: [in, out]
    w[name] += dw
    w[name] -= dw  # taken back, as EditUnit restores after each timed edit
    return {"steps": steps, "u": u.tolist(), "right": right.tolist()}


def value_search(w, cfg, layer, s, pad, case, torch):
    seqs = case["sequences"]
    ids, mask = batch(seqs, pad, torch)
    b = len(seqs)
    lookup = torch.tensor(case["lookup"])
    n = b - 1  # rewriting prompts; the KL prompt is last
    tseq = torch.tensor(case["targetSequence"])
    tpos = torch.tensor(case["targetPosition"])
    ttok = torch.tensor(case["targetToken"])
    d = int(cfg["width"])
    wte = w["transformer.wte.weight"]
    delta = torch.zeros(d, requires_grad=True)
    opt = torch.optim.Adam([delta], lr=float(s["lr"]))
    state = {}
    steps = int(s["steps"])
    done = 0
    for it in range(steps):
        done = it + 1

        def inject(l, key, out):
            if l != layer:
                return out
            if "v_init" not in state:
                state["v_init"] = out[0, lookup[0]].detach().clone()
            sel = torch.zeros(out.shape[0], out.shape[1], 1)
            sel[torch.arange(b), lookup, 0] = 1.0
            return out + sel * delta

        h = peer_forward.hidden_states(w, cfg, ids, mask, torch, inject)
        # the LM head only on the rows the loss reads (the target predictions and the KL row), as EditUnit does
        rows = torch.cat([h[tseq, tpos], h[n, lookup[n]].unsqueeze(0)])
        logp = torch.log_softmax(rows @ wte.t(), dim=-1)
        picked = logp[:-1].gather(1, ttok.unsqueeze(1)).squeeze(1)
        nll = -picked.sum() / picked.numel()
        kl_row = logp[-1]
        if "kl_ref" not in state:
            state["kl_ref"] = kl_row.detach().clone()
        kl = (kl_row.exp() * (kl_row - state["kl_ref"])).sum()
        v_norm = state["v_init"].norm()
        loss = nll + float(s["kl"]) * kl + float(s["weightDecay"]) * delta.norm() / (v_norm * v_norm)
        if loss.item() < float(s["earlyStop"]) or it == steps - 1:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            cap = float(s["clamp"]) * v_norm
            if delta.norm() > cap:
                delta.mul_(cap / delta.norm())
    return delta.detach(), state["v_init"], done


if __name__ == "__main__":
    main()
