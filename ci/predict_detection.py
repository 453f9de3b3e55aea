#!/usr/bin/env python3
"""Predicts, from the exact moments, how often the mean check catches a bias
that multiplies E[Z] by N/(N - 1) (the catalogue's `mean-over-n-minus-1`), and
sets the prediction beside the catalogue's measured detection.

    ci/predict_detection.py CHECK.json CATALOGUE.json ... [--markdown]

CHECK.json is `iscert check Scenarios --format json` (the files' own seeds; only
the exact expectation, the standard error and the acceptance region of each mean
check are read, none of the simulated values). For every scenario where ordinary
IS is the only estimator the bug mutates (snis and psis are not per-sample means)
and its mean check applies, the shift is
Delta = E[Z] / (N - 1), and the check, which passes while z lies in
[lo, hi] (z_acceptance, the skewness-shifted region), catches it with probability
    P = Phi(lo - Delta/SE) + 1 - Phi(hi - Delta/SE),
treating the mean of K estimates as normal with the exact SE. `detects` is the
check's smallest shift found with probability 0.8, (z* + z_0.8) SE. The
measured column is the catalogue's count over master seeds with its 95% Wilson
interval.
"""
import json, math, sys


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def wilson(k, n, z=1.959963984540054):
    """The 95% Wilson interval, exactly 0 at k = 0 and 1 at k = n."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (0.0 if k == 0 else centre - half, 1.0 if k == n else centre + half)


def number(x):
    if x == 0:
        return "0"
    if abs(x) < 1e-4:
        mantissa, exponent = f"{x:.1e}".split("e")
        digits = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return f"{mantissa}·10{digits}"
    return f"{x:.3g}"


def main(argv):
    check = json.load(open(argv[0]))
    measured = {}
    for path in argv[1:]:
        for bug in json.load(open(path))["bugs"]:
            if bug["id"] == "mean-over-n-minus-1":
                for s in bug["scenarios"]:
                    if s.get("runs"):
                        measured[s["scenario"]] = (s["caught"], s["runs"])
    rows = ["| scenario | shift E[Z]/(N − 1) | `detects` | predicted P(caught) | caught (95% interval) |",
            "| --- | --- | --- | --- | --- |"]
    for s in sorted(check["scenarios"], key=lambda s: s["name"]):
        names = [e["name"] if isinstance(e, dict) else e for e in s["estimators"]]
        # Of the estimators the bug mutates (per-sample means), ordinary IS alone.
        if [n for n in names if n not in ("snis", "psis")] != ["is"] or s["name"] not in measured:
            continue
        mean = next(c for c in s["checks"] if c["name"] == "mean")
        if mean["status"] == "not_applicable":
            continue
        se = mean["tolerance"] / check["z_star"]
        lo, hi = mean["z_acceptance"]
        shift = mean["expected"] / (s["samples"] - 1)
        p = phi(lo - shift / se) + 1 - phi(hi - shift / se)
        k, n = measured[s["name"]]
        a, b = wilson(k, n)
        rows.append(f"| {s['name']} | {number(shift)} | {number(mean['min_detectable'])} | {p:.3f} | "
                    f"{k}/{n} [{'0' if a == 0 else f'{a:.2f}'}, {'1' if b == 1 else f'{b:.2f}'}] |")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
