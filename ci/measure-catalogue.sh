#!/usr/bin/env bash
# Measures how often the shipped checks catch each planted bug (iscert catalogue),
# over master seeds, at the thresholds of `iscert check Scenarios`.
#
#   ci/measure-catalogue.sh [FIRST_SEED]
#
# 100 seeds from FIRST_SEED (default 1000) for every scenario, except the four
# that hold two thirds of the suite's draws (token-length-sweep, markov-long,
# gap-sweep, snis-sample-size), which get the first 20. Writes
# docs/measurements/catalogue-{main,costly}.json and docs/measurements/catalogue.md
# (ci/catalogue_summary.py), and prints the summary table the README shows, then
# the predicted beside the measured detection of mean-over-n-minus-1
# (ci/predict_detection.py), also appended to catalogue.md.
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:-1000}
costly="Scenarios/token-length-sweep.iscert Scenarios/markov-long.iscert Scenarios/gap-sweep.iscert Scenarios/snis-sample-size.iscert"
swift build -c release --product iscert >/dev/null
# Every check at the shipped suite's threshold: alpha shared by all its checks.
m=$(.build/release/iscert check Scenarios --trials 2 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks_in_family"])' || true)
main=$(ls Scenarios/*.iscert | grep -v -F -e token-length-sweep -e markov-long -e gap-sweep -e snis-sample-size)
out=docs/measurements
# Exit status 1 (a bug caught in no run) is a finding, not a failure of the measurement.
.build/release/iscert catalogue $main --seeds "$first..$((first + 99))" --family-checks "$m" --format json > $out/catalogue-main.json || [ $? -eq 1 ]
.build/release/iscert catalogue $costly --seeds "$first..$((first + 19))" --family-checks "$m" --format json > $out/catalogue-costly.json || [ $? -eq 1 ]
python3 ci/catalogue_summary.py $out/catalogue-main.json $out/catalogue-costly.json --markdown $out/catalogue.md \
  --command "ci/measure-catalogue.sh $first"
# The detection of mean-over-n-minus-1 predicted from the exact moments (the
# mean checks of `iscert check Scenarios` at the files' seeds) beside the measured one.
check=$(mktemp)
.build/release/iscert check Scenarios --format json > "$check" || [ $? -eq 1 ]
{
  echo
  echo "## mean-over-n-minus-1: predicted beside measured"
  echo
  echo "Where ordinary IS is the only estimator the bug mutates (ci/predict_detection.py):"
  echo
  python3 ci/predict_detection.py "$check" $out/catalogue-main.json $out/catalogue-costly.json
} | tee -a $out/catalogue.md
rm -f "$check"
