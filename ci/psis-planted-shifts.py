#!/usr/bin/env python3
"""How far the planted PSIS bugs of Tests/ISCertificationTests/PSISReferenceTests.swift move a scenario's
psis estimate, and the probability that its checks catch each one at the scenario's K.

Each trial draws N values from q (NumPy, as ci/psis-reference.py does) and computes, on the same draws,
the correct estimate (arviz-stats' _ps_tail, M = ceil(min(S/5, 3 sqrt S))) and each planted variant,
built from arviz-stats' own _gpdfit and _gpinv with one step changed. Printed per variant: the paired
mean shift of E[Z] with its standard error, the ratio of variances, and the detection probability of
the mean and the variance check at K trials and threshold z* (normal approximation; the variance check's
sd under the bug from the bug's own simulated fourth moment). With `--reference` (the scenario's R), the
reference's sampling error is counted as the checks count it.

    python3 ci/psis-planted-shifts.py Scenarios/psis-heavy-tail.iscert --trials 20000 --zstar 3.227
"""
import argparse
import importlib.util
import math
import multiprocessing
import os

import numpy as np
from scipy import stats
from arviz_stats.base import array_stats

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("psis_reference", os.path.join(HERE, "psis-reference.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

VARIANTS = ["psis", "no-smoothing", "quantiles-z-over-m", "unregularised-k", "no-truncation", "tail-length+1"]


def variant(lw, f, name):
    """psis with one step changed (`psis` itself: every step as iscert's)."""
    s = lw.size
    m = ref.tail_length(s) + (1 if name == "tail-length+1" else 0)
    lw = lw - lw.max()
    w = np.exp(lw)
    if name != "no-smoothing":
        order = np.argsort(lw, kind="stable")
        tail = order[s - m:]
        cutoff = w[order[s - m - 1]]
        k, sigma = array_stats._gpdfit(w[tail] - cutoff)
        if name == "unregularised-k":
            k = (k * (m + 10) - 5) / m
        offset = 0.0 if name == "quantiles-z-over-m" else 0.5
        with np.errstate(divide="ignore"):
            q = array_stats._gpinv((np.arange(1, m + 1) - offset) / m, k, sigma, cutoff)
        w[tail] = q if name == "no-truncation" else np.minimum(q, 1.0)
    return float(np.sum(w * f) / np.sum(w))


def chunk(job):
    seed, c, trials, fields = job
    p, q, f = ref.distribution(fields["target"]), ref.distribution(fields["behavior"]), ref.integrand(fields["f(x)"])
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(c,)))
    x = q.rvs(size=(trials, int(fields["samples"])), random_state=rng)
    lw, fx = p.logpdf(x) - q.logpdf(x), f(x)
    return np.array([[variant(lw[i], fx[i], v) for v in VARIANTS] for i in range(trials)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--trials", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=314_159)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--k", type=int, default=4000, help="the scenario's K")
    parser.add_argument("--reference", type=int, default=400_000, help="the reference's R")
    parser.add_argument("--zstar", type=float, default=3.227)
    parser.add_argument("--iscert", default=os.path.join(ref.ROOT, ".build/debug/iscert"))
    args = parser.parse_args()
    fields = ref.canonical_inputs(args.file, args.iscert)
    jobs = [(args.seed, c, min(ref.CHUNK, args.trials - c * ref.CHUNK), fields)
            for c in range((args.trials + ref.CHUNK - 1) // ref.CHUNK)]
    with multiprocessing.Pool(args.jobs) as pool:
        z = np.concatenate(pool.map(chunk, jobs))
    n, K, R, zs = len(z), args.k, args.reference, args.zstar
    base = z[:, 0]
    v0 = base.var(ddof=1)
    mu4 = np.mean((base - base.mean()) ** 4)

    def sd_s2(v, m4, count):
        return math.sqrt(max((m4 - v * v * (count - 3) / (count - 1)) / count, 0))

    se_mean = math.sqrt(v0 / K + v0 / R)
    se_var = math.sqrt(sd_s2(v0, mu4, K) ** 2 + sd_s2(v0, mu4, R) ** 2)
    phi = stats.norm.cdf
    print(f"{args.file}: {n} trials paired; correct psis: mean {base.mean():.5f}, variance {v0:.5f}; "
          f"K = {K}, R = {R}, z* = {zs}: mean check sd {se_mean:.3g}, variance check sd {se_var:.3g}")
    for j, name in enumerate(VARIANTS[1:], start=1):
        d = z[:, j] - base
        shift, shift_se = d.mean(), d.std(ddof=1) / math.sqrt(n)
        vb = z[:, j].var(ddof=1)
        m4b = np.mean((z[:, j] - z[:, j].mean()) ** 4)
        # mean check: z ~ N(shift / se, (v_b/K + v0/R) / se^2)
        sd_m = math.sqrt(vb / K + v0 / R) / se_mean
        p_mean = phi((shift / se_mean - zs) / sd_m) + phi((-shift / se_mean - zs) / sd_m)
        sd_v = math.sqrt(sd_s2(vb, m4b, K) ** 2 + sd_s2(v0, mu4, R) ** 2) / se_var
        dv = (vb - v0) / se_var
        p_var = phi((dv - zs) / sd_v) + phi((-dv - zs) / sd_v)
        print(f"  {name:20s} mean shift {shift:+.5f} ± {shift_se:.5f} ({shift / se_mean:+.1f} sd of the check), "
              f"variance x{vb / v0:.3f} ({dv:+.1f} sd); detected by mean {p_mean:.4f}, variance {p_var:.4f}, "
              f"either >= {max(p_mean, p_var):.4f}")


if __name__ == "__main__":
    main()
