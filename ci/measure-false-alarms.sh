#!/usr/bin/env bash
# Measures iscert's false-alarm rates on the shipped scenarios, which are correct
# estimators: every failed check is a false alarm.
#
#   ci/measure-false-alarms.sh FIRST_SEED COUNT [iscert check options...]
#
# Runs `iscert check Scenarios --seed S --format json` for COUNT master seeds from
# FIRST_SEED (release build) and prints, per check, failed / applied with a 95%
# Wilson interval, and the share of runs with any false alarm. Examples:
#   ci/measure-false-alarms.sh 3001 100                                  # family-wise, defaults
#   ci/measure-false-alarms.sh 1001 200 --alpha 0.05 --family-checks 1   # each check at 5%
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:?first seed}; count=${2:?number of seeds}; shift 2
swift build -c release --product iscert >/dev/null
out=$(mktemp -d)
for ((s = first; s < first + count; s++)); do
  .build/release/iscert check Scenarios --seed "$s" --format json --jobs 1 "$@" > "$out/$s.json" || true
done
python3 - "$out" <<'PY'
import glob, json, math, sys, collections
def wilson(k, n, z=1.959964):
    if n == 0: return (0.0, 1.0)
    p = k / n; d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d; h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))
fails, applied, runs, alarmed = collections.Counter(), collections.Counter(), 0, 0
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    report = json.load(open(path)); runs += 1; any_alarm = False
    entries = report["scenarios"] + [p for s in report["sweeps"] for p in s["points"]]
    sweep_checks = [c for s in report["sweeps"] for c in s["checks"]]
    for e in entries + [{"checks": sweep_checks, "expect": "pass"}]:
        declared = e["expect"]
        for c in e["checks"]:
            if c["status"] == "not_applicable" or "fail(" in declared and c["name"] in declared: continue
            applied[c["name"]] += 1
            if c["status"] == "fail": fails[c["name"]] += 1; any_alarm = True
    alarmed += any_alarm
print(f"{runs} runs")
for name in sorted(applied):
    lo, hi = wilson(fails[name], applied[name])
    print(f"  {name:10s} {fails[name]:5d} / {applied[name]:6d} = {fails[name]/applied[name]:.4f}   95% CI [{lo:.4f}, {hi:.4f}]")
lo, hi = wilson(alarmed, runs)
print(f"  runs with any false alarm: {alarmed} / {runs} = {alarmed/runs:.4f}   95% CI [{lo:.4f}, {hi:.4f}]")
PY
