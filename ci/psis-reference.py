#!/usr/bin/env python3
"""The simulated reference of Pareto-smoothed IS (psis) for a scenario, computed outside iscert.

PSIS has no closed-form finite-N expectation, so iscert certifies its implementation against an
independent simulation of the same estimator: independent code (arviz-stats' PSIS routine, SciPy's
log-densities, NumPy's evaluation of f) and independent random numbers (NumPy's PCG64, where iscert
draws from GSL's mt19937). This script runs that simulation and writes what iscert needs into the
scenario file, as a `reference psis = simulation(...)` statement (docs/scenario-language.md):

    trials                      R, the simulated trials
    mean, variance              of one trial's estimate Z over the R trials
    central3, central4, central6  E[(Z - EZ)^k], for the checks' standard errors and skewness
    inputs                      what was simulated: target, behavior, f(x), samples, as iscert
                                prints them; iscert refuses a reference whose inputs are not the
                                scenario's own (a stale reference)
    source                      this script, the library versions and the seed

The estimator is iscert's `psis` (ParetoSmoothing.swift): for log-weights lw_i = log p(x_i) -
log q(x_i) of S = N draws, the M = ceil(min(S/5, 3 sqrt S)) largest weights are replaced by the
quantiles of a generalized Pareto fit (Zhang-Stephens with the prior on k) at (z - 1/2)/M,
truncated at the largest raw weight, and Z = sum w f / sum w. arviz-stats' `_ps_tail` computes
exactly that when given M; its public `psislw` rounds M down (94 rather than 95 at S = 1000), so it
is not used. `--vectors` writes the estimates of fixed weight vectors for the test that checks
iscert's estimator against this one sample by sample.

Trials are drawn in chunks of 1000, chunk c from SeedSequence(seed, spawn_key=(c,)), so the result
does not depend on --jobs.

Run (from the package root, after `swift build`):
    python3 ci/psis-reference.py Scenarios/pareto-smoothed.iscert --write
    python3 ci/psis-reference.py --vectors
"""
import argparse
import ast
import json
import math
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy import stats

import arviz_stats
from arviz_stats.base import array_stats

CHUNK = 1000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE_START = re.compile(r"^reference\s+psis\s*=")


def tail_length(s):
    """M = ceil(min(S/5, 3 sqrt(S))), the rule iscert and loo use (r_eff = 1)."""
    return int(math.ceil(min(s / 5.0, 3.0 * math.sqrt(s))))


def psis_estimate(lw, f):
    """iscert's psis estimate of one trial: sum w f / sum w with Pareto-smoothed weights w."""
    s = lw.size
    smoothed, _ = array_stats._ps_tail(lw.copy(), s, tail_length(s), smooth_draws=True, tail="right",
                                       log_weights=True)
    w = np.exp(smoothed - np.max(smoothed))
    return float(np.sum(w * f) / np.sum(w))


# MARK: - The scenario, as iscert prints it

def strip_references(text):
    """The scenario text without its `reference psis = ...` statements (to the `)` closing them)."""
    out, depth, inside = [], 0, False
    for line in text.splitlines(keepends=True):
        if not inside and REFERENCE_START.match(line):
            inside, depth, opened = True, 0, False
        if not inside:
            out.append(line)
            continue
        in_string, escaped = False, False
        for ch in line:
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == "#":
                break
            elif ch == '"':
                in_string = True
            elif ch == "(":
                depth, opened = depth + 1, True
            elif ch == ")":
                depth -= 1
        if opened and depth <= 0:
            inside = False
    return "".join(out)


def canonical_inputs(path, iscert):
    """target, behavior, f(x) and samples as iscert prints them (`iscert explain`)."""
    with open(path, encoding="utf-8") as fh:
        text = strip_references(fh.read())
    with tempfile.NamedTemporaryFile("w", suffix=".iscert", delete=False, encoding="utf-8") as tmp:
        tmp.write(text)
    try:
        run = subprocess.run([iscert, "explain", tmp.name], capture_output=True, text=True)
    finally:
        os.unlink(tmp.name)
    if run.returncode != 0:
        sys.exit(f"iscert explain {path} failed:\n{run.stderr}")
    fields = {}
    for line in run.stdout.split("\n# checks")[0].splitlines():
        m = re.match(r"^(\w+(?:\(x\))?)\s+= (.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2)
    if "sweep" in fields:
        sys.exit(f"{path}: a swept scenario has one PSIS reference per point, which iscert does not support")
    if "psis" not in [e.strip() for e in fields.get("estimators", "").split(",")]:
        sys.exit(f"{path}: 'psis' is not in its estimators")
    return fields


def inputs_text(fields):
    """The `inputs` string; iscert builds the same from the scenario (Scenario.referenceInputs)."""
    return "; ".join(f"{key} = {fields[key]}" for key in ("target", "behavior", "f(x)", "samples"))


# MARK: - Distributions and f, independently of iscert

def call_arguments(text):
    m = re.fullmatch(r"(\w+)\((.*)\)", text.strip())
    if not m:
        raise ValueError(f"not a distribution: {text}")
    args = {}
    for part in m.group(2).split(","):
        label, value = part.split(":")
        args[label.strip()] = float(value)
    return m.group(1), args


def distribution(text):
    """The SciPy distribution a canonical iscert distribution names (mixtures and policies: no)."""
    family, a = call_arguments(text)
    if family == "normal":
        return stats.norm(a["mean"], a["sd"])
    if family == "student_t":
        return stats.t(a["df"], a["loc"], a["scale"])
    if family == "laplace":
        return stats.laplace(a["loc"], a["scale"])
    if family == "exponential":
        return stats.expon(scale=1.0 / a["rate"])
    if family == "gamma":
        return stats.gamma(a["shape"], scale=a["scale"])
    if family == "lognormal":
        return stats.lognorm(a["sdlog"], scale=math.exp(a["meanlog"]))
    if family == "cauchy":
        return stats.cauchy(a["loc"], a["scale"])
    if family == "logistic":
        return stats.logistic(a["loc"], a["scale"])
    raise ValueError(f"this script does not simulate '{family}' (supported: normal, student_t, laplace, "
                     "exponential, gamma, lognormal, cauchy, logistic)")


FUNCTIONS = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "sin": np.sin, "cos": np.cos,
             "tanh": np.tanh, "min": np.minimum, "max": np.maximum}


def integrand(text):
    """f as a NumPy function of x, from iscert's canonical expression (`^` is a power, comparisons 0/1)."""
    source = text.replace("^", "**")
    tree = ast.parse(source, mode="eval")
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Call, ast.Name, ast.Constant, ast.Load,
               ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
               ast.Eq, ast.NotEq)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise ValueError(f"f(x) = {text}: '{type(node).__name__}' is not supported here")
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in ("x", "pi", "e"):
            raise ValueError(f"f(x) = {text}: unknown name '{node.id}'")
    code = compile(tree, "<f>", "eval")
    names = dict(FUNCTIONS, pi=math.pi, e=math.e)
    return lambda x: np.asarray(eval(code, {"__builtins__": {}}, dict(names, x=x)), dtype=float) * np.ones_like(x)


# MARK: - Simulation

def simulate_chunk(job):
    seed, chunk, trials, fields = job
    p, q, f = distribution(fields["target"]), distribution(fields["behavior"]), integrand(fields["f(x)"])
    n = int(fields["samples"])
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(chunk,)))
    x = q.rvs(size=(trials, n), random_state=rng)
    lw, fx = p.logpdf(x) - q.logpdf(x), f(x)
    return np.array([psis_estimate(lw[i], fx[i]) for i in range(trials)])


def simulate(fields, trials, seed, jobs):
    chunks = [(seed, c, min(CHUNK, trials - c * CHUNK), fields) for c in range((trials + CHUNK - 1) // CHUNK)]
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            parts = pool.map(simulate_chunk, chunks)
    else:
        parts = [simulate_chunk(c) for c in chunks]
    return np.concatenate(parts)


def moments(z):
    m = float(np.mean(z))
    d = z - m
    return m, *(float(np.mean(d ** k)) for k in (2, 3, 4, 6))


def number(v):
    if not math.isfinite(v):
        sys.exit(f"non-finite moment {v}: nothing to record")
    return repr(float(v))


def statement(fields, trials, seed, z):
    mean, m2, m3, m4, m6 = moments(z)
    # The sample variance with R - 1, as iscert's own variance of the K estimates.
    variance = m2 * trials / (trials - 1)
    source = (f"ci/psis-reference.py: arviz-stats {arviz_stats.__version__} _ps_tail with "
              f"M = ceil(min(S/5, 3 sqrt S)), SciPy {scipy.__version__} log-densities, "
              f"NumPy {np.__version__} PCG64 seed {seed}")
    return (f"reference psis = simulation(\n"
            f"    trials: {trials}, mean: {number(mean)}, variance: {number(variance)},\n"
            f"    central3: {number(m3)}, central4: {number(m4)}, central6: {number(m6)},\n"
            f"    inputs: \"{inputs_text(fields)}\",\n"
            f"    source: \"{source}\"\n"
            f")\n")


def write(path, block):
    with open(path, encoding="utf-8") as fh:
        text = strip_references(fh.read())
    if not text.endswith("\n"):
        text += "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text + block)


# MARK: - Fixed vectors for the sample-by-sample test

def vectors():
    """Fixed (log-weight, f) vectors and this script's psis estimate of each, for iscert's test."""
    cases = []
    for seed, n, sq, label in [(201, 200, 0.8, "pareto-smoothed's pair, N = 200 (M = 40)"),
                               (202, 200, 0.6, "q = N(0, 0.6^2), N = 200 (M = 40)"),
                               (203, 1000, 0.6, "q = N(0, 0.6^2), N = 1000: M = 95, where psislw's floor gives 94"),
                               (204, 226, 0.7, "q = N(0, 0.7^2), N = 226: M = ceil(45.1) = 46"),
                               (205, 50, 0.8, "q = N(0, 0.8^2), N = 50 (M = 10)")]:
        x = np.random.default_rng(seed).normal(0.0, sq, n)
        lw = stats.norm.logpdf(x, 0.0, 1.0) - stats.norm.logpdf(x, 0.0, sq)
        lw = np.array([float(f"{v:.16e}") for v in lw])  # exact in JSON
        f = np.array([float(f"{v:.16e}") for v in x * x])
        floor_m = int(math.floor(min(n / 5.0, 3.0 * math.sqrt(n))))
        sm, _ = array_stats._ps_tail(lw.copy(), n, floor_m, smooth_draws=True, tail="right", log_weights=True)
        w = np.exp(sm - sm.max())
        cases.append({"summary": label, "logWeights": lw.tolist(), "values": f.tolist(),
                      "psis": psis_estimate(lw, f), "tailLength": tail_length(n),
                      "psisFloorTail": float(np.sum(w * f) / np.sum(w)), "floorTailLength": floor_m})
    doc = {"generator": "ci/psis-reference.py --vectors", "arviz_stats": arviz_stats.__version__,
           "numpy": np.__version__, "cases": cases}
    path = os.path.join(ROOT, "Tests/ISCertificationTests/References/psis/estimates.json")
    with open(path, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    for c in cases:
        print(f"{c['summary']}: psis {c['psis']:.15g}, with M = {c['floorTailLength']}: {c['psisFloorTail']:.15g}")
    print(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="a scenario file with psis among its estimators")
    parser.add_argument("--trials", type=int, default=200_000, help="simulated trials R (default 200000)")
    parser.add_argument("--seed", type=int, default=20_260_601, help="NumPy seed (default 20260601)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--iscert", default=os.path.join(ROOT, ".build/debug/iscert"), help="the iscert binary")
    parser.add_argument("--write", action="store_true", help="replace the file's psis reference")
    parser.add_argument("--vectors", action="store_true", help="write the fixed-vector estimates for the tests")
    args = parser.parse_args()
    if args.vectors:
        return vectors()
    if not args.file:
        parser.error("a scenario file is needed (or --vectors)")
    if args.trials < 2:
        parser.error("--trials must be at least 2")
    fields = canonical_inputs(args.file, args.iscert)
    start = time.time()
    z = simulate(fields, args.trials, args.seed, args.jobs)
    block = statement(fields, args.trials, args.seed, z)
    print(f"# {args.file}: {args.trials} trials in {time.time() - start:.0f} s; mean {z.mean():.6g} "
          f"+- {z.std(ddof=1) / math.sqrt(args.trials):.2g}", file=sys.stderr)
    if args.write:
        write(args.file, block)
    else:
        sys.stdout.write(block)


if __name__ == "__main__":
    main()
