#!/usr/bin/env python3
"""Counts false alarms in `iscert check --format json` reports of correct estimators.

    ci/false_alarms.py DIR [--output FILE] [--command TEXT]

Every report in DIR (one per master seed, named SEED.json) certifies the shipped
scenarios, whose estimators are correct: every failed check that the scenario
does not declare (`expect = fail(...)`) is a false alarm. Prints, per check, the
failures among the runs where it applied, with a 95% Wilson interval, beside the
declared per-check rate alpha / m; with --output, writes the same as JSON (the
file docs/measurements/ keeps, which a test compares with the declared rates).
A check whose statistic took the same value in every run cannot fail by chance
(ESS/N is identically 1 where the ratio is constant, as in gaussian-gap-0): it is
counted as deterministic, not as applied.
"""
import collections, glob, json, math, os, re, sys


def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (0.0 if k == 0 else max(0.0, c - h), 1.0 if k == n else min(1.0, c + h))


EXACT = {"extreme_weights", "surrogate", "exact_gradient"}


def clustered(runs, z=1.959963984540054):
    """95% interval of sum(failed) / sum(applied) with the runs as independent
    clusters (the ratio estimator's linearised variance), or None without
    failures or with fewer than two runs."""
    total_f, total_a, r = sum(f for f, _ in runs), sum(a for _, a in runs), len(runs)
    if r < 2 or total_a == 0 or total_f == 0:
        return None
    p = total_f / total_a
    var = r / (r - 1) * sum((f - p * a) ** 2 for f, a in runs) / total_a ** 2
    half = z * math.sqrt(var)
    return [max(0.0, p - half), p + half]


def main(argv):
    folder, output, command = argv[0], None, None
    rest = argv[1:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--output":
            output = value
        elif flag == "--command":
            command = value
        else:
            sys.exit(f"unknown option {flag}")
    paths = sorted(glob.glob(os.path.join(folder, "*.json")), key=lambda p: int(os.path.basename(p)[:-5]))
    applied, failed, deterministic = collections.Counter(), collections.Counter(), collections.Counter()
    # Per check and scenario (a sweep's points under the sweep's name): where the failures are.
    by_scenario = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    # Per check, each run's [failed, applied]: checks of one run are not independent
    # (the components of a gradient estimator, estimators on the same draws), so
    # the runs, which are, are the units of the interval that allows for that.
    per_run = collections.defaultdict(list)
    # First pass: the checks whose statistic never varied across the runs.
    observed = collections.defaultdict(set)
    for path in paths:
        report = json.load(open(path))
        entries = report["scenarios"] + [p for s in report["sweeps"] for p in s["points"]]
        entries += [{"name": s["name"], "checks": s["checks"]} for s in report["sweeps"]]
        for e in entries:
            for c in e["checks"]:
                observed[(e["name"], c["name"], c.get("estimator"))].add(c.get("observed"))
    constant = {key for key, values in observed.items() if len(values) == 1 and len(paths) > 1}
    failures, seeds, alarmed, header, names = [], [], 0, None, None
    for path in paths:
        report = json.load(open(path))
        seed = int(os.path.basename(path)[:-5])
        seeds.append(seed)
        run = (report["alpha"], report["checks_in_family"], report["z_star"])
        if header is None:
            header = run
        elif run != header:
            sys.exit(f"{path}: alpha, m or z* differ from the other reports")
        files = sorted([s["name"] for s in report["scenarios"]] + [s["name"] for s in report["sweeps"]])
        if names is None:
            names = files
        elif files != names:
            sys.exit(f"{path}: other scenarios than the other reports")
        entries = report["scenarios"] + [p for s in report["sweeps"] for p in s["points"]]
        entries += [{"name": s["name"], "checks": s["checks"], "expect": "pass"} for s in report["sweeps"]]
        any_alarm = False
        run_counts = collections.defaultdict(lambda: [0, 0])
        # Deterministic by design, these take no share of alpha (a correct estimator never fails them).
        planned = sum(1 for e in entries for c in e["checks"] if c["name"] not in EXACT)
        for e in entries:
            for c in e["checks"]:
                if c["status"] == "not_applicable" or ("fail(" in e["expect"] and c["name"] in e["expect"]):
                    continue
                if (e["name"], c["name"], c.get("estimator")) in constant:
                    deterministic[c["name"]] += 1
                    continue
                applied[c["name"]] += 1
                cell = by_scenario[c["name"]][e["name"].split("@")[0]]
                cell[1] += 1
                run_counts[c["name"]][1] += 1
                if c["status"] == "fail":
                    failed[c["name"]] += 1
                    cell[0] += 1
                    run_counts[c["name"]][0] += 1
                    any_alarm = True
                    failures.append({"seed": seed, "scenario": e["name"], "check": c["name"],
                                     "estimator": c.get("estimator"), "z": c.get("z")})
        alarmed += any_alarm
        for name in set(applied) | set(run_counts):
            per_run[name].append(run_counts[name])
    alpha, m, z_star = header
    declared = alpha / m
    result = {
        "command": command, "runs": len(paths), "seeds": [min(seeds), max(seeds)] if seeds else [],
        "alpha": alpha, "checks_in_family": m, "z_star": z_star, "declared_per_check": declared,
        "runs_with_false_alarm": alarmed, "scenarios": names,
        "checks": {name: {"applied": applied[name], "failed": failed[name], "deterministic": deterministic[name],
                          "clustered_interval": clustered(per_run[name]),
                          # [failed, applied] in each run, in seed order: what a test
                          # needs to allow for the checks of a run being correlated.
                          "per_run": per_run[name]}
                   for name in sorted(set(applied) | set(deterministic))},
        # [failed, applied] per check and scenario.
        "by_scenario": {name: {scenario: cell for scenario, cell in sorted(cells.items())}
                        for name, cells in sorted(by_scenario.items())},
        # Each failure is a lead worth reading when they are few; at a nominal 5%
        # there are thousands, and the counts say all.
        "failures": failures if len(failures) <= 200 else f"{len(failures)} failures, not listed",
    }
    print(f"{len(paths)} runs, seeds {result['seeds']}; alpha {alpha} over m = {m} checks, z* = {z_star:.4f}; "
          f"declared rate per check alpha/m = {declared:.3g}")
    for name, c in result["checks"].items():
        lo, hi = wilson(c["failed"], c["applied"])
        rate = c["failed"] / c["applied"] if c["applied"] else 0
        cl = c["clustered_interval"]
        print(f"  {name:15s} {c['failed']:5d} / {c['applied']:6d} = {rate:.3g}   95% CI [{lo:.3g}, {hi:.3g}]"
              + (f", runs as clusters [{cl[0]:.3g}, {cl[1]:.3g}]" if cl else "")
              + (f"   ({c['deterministic']} deterministic)" if c["deterministic"] else ""))
        # Where the interval lies above the declared rate: the scenarios furthest from it.
        if c["applied"] and lo > declared:
            cells = result["by_scenario"][name]
            excess = sorted(cells.items(), key=lambda kv: -abs(kv[1][0] - declared * kv[1][1]) / math.sqrt(declared * kv[1][1]))
            print("      furthest from the declared rate: " + ", ".join(
                f"{scenario} {k}/{n} ({k - declared * n:+.1f})" for scenario, (k, n) in excess[:6]))
    lo, hi = wilson(alarmed, len(paths))
    # alpha bounds the family-wise rate only when all of a run's checks share it.
    declared_runs = f"declared at most {alpha}" if m >= planned else f"not declared: m = {m} of the {planned} checks a run plans"
    print(f"  runs with any false alarm: {alarmed} / {len(paths)} = {alarmed / max(1, len(paths)):.3g}"
          f"   95% CI [{lo:.3g}, {hi:.3g}] ({declared_runs})")
    if output:
        write(result, output)


def write(result, output):
    """The measurement as JSON, one [failed, applied] pair to a line."""
    text = json.dumps(result, indent=1, sort_keys=True)
    text = re.sub(r"\[\s+(-?\d+),\s+(-?\d+)\s+\]", r"[\1, \2]", text)
    with open(output, "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
