#!/usr/bin/env bash
# Measures how iscert's psis agrees with a scenario's simulated reference over many
# master seeds: the z-scores of the psis mean and variance checks (mean, sd, how
# often |z| > z*), and the engine's mean over every seed's K trials pooled against
# the reference's mean of R trials.
#
#   ci/psis-agreement.sh FIRST_SEED COUNT FILE... [-- iscert check options]
#
# Runs `iscert check FILE --seed S --format json` (release build) for COUNT seeds
# from FIRST_SEED. Under the null, z has mean 0 and sd 1 up to the reference's
# shared error: every seed compares with the same reference, so the seeds' z
# share a term of sd sqrt(K/R)/sqrt(1 + K/R), and their mean cannot settle below it.
#   ci/psis-agreement.sh 1 200 Scenarios/pareto-smoothed.iscert Scenarios/psis-heavy-tail.iscert
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:?first seed}; count=${2:?number of seeds}; shift 2
files=(); while [[ $# -gt 0 && $1 != "--" ]]; do files+=("$1"); shift; done
[[ ${1:-} == "--" ]] && shift
swift build -c release --product iscert >/dev/null
out=$(mktemp -d)
for f in "${files[@]}"; do
  for ((s = first; s < first + count; s++)); do
    .build/release/iscert check "$f" --seed "$s" --format json --jobs 1 "$@" > "$out/$(basename "$f" .iscert).$s.json" || true
  done
done
python3 - "$out" <<'PY'
import collections, glob, json, math, os, sys
runs = collections.defaultdict(list)
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    report = json.load(open(path))
    zstar = report["z_star"]
    for e in report["scenarios"]:
        est = next(x for x in e["estimators"] if x["name"] == "psis")
        checks = {c["name"]: c for c in e["checks"] if c["estimator"] == "psis"}
        runs[e["name"]].append((est, checks, e["trials"], zstar))
for name, rs in runs.items():
    ref = rs[0][0].get("reference")
    if ref is None:
        print(f"{name}: no reference used"); continue
    K, R, zstar = rs[0][2], ref["trials"], rs[0][3]
    print(f"{name}: {len(rs)} seeds, K = {K}, R = {R}, z* = {zstar:.3f}")
    for check in ("mean", "variance"):
        zs = [c[check]["z"] for _, c, _, _ in rs if isinstance(c[check].get("z"), float)]
        fails = sum(c[check]["status"] == "fail" for _, c, _, _ in rs)
        m = sum(zs) / len(zs); sd = math.sqrt(sum((z - m) ** 2 for z in zs) / (len(zs) - 1))
        beyond = {t: sum(abs(z) > t for z in zs) for t in (1.96, 2.576, zstar)}
        print(f"  {check:8s}: z mean {m:+.3f}, sd {sd:.3f}; |z| > 1.96: {beyond[1.96]}/{len(zs)}, "
              f"> 2.576: {beyond[2.576]}/{len(zs)}, > z*: {beyond[zstar]}/{len(zs)}; failed {fails}")
    pooled = sum(e["observed_mean"] for e, _, _, _ in rs) / len(rs)
    v = ref["variance"]
    se = math.sqrt(v / (K * len(rs)) + ref["mean_standard_error"] ** 2)
    print(f"  pooled engine mean {pooled:.6f} over {K * len(rs)} trials vs reference {ref['mean']:.6f} "
          f"± {ref['mean_standard_error']:.2g}: z = {(pooled - ref['mean']) / se:+.2f}")
PY
rm -r "$out"
