#!/usr/bin/env bash
# Measures iscert's false-alarm rates on the shipped scenarios, which are correct
# estimators: every failed check is a false alarm.
#
#   ci/measure-false-alarms.sh FIRST_SEED COUNT [--output FILE] [iscert check options...]
#
# Runs `iscert check Scenarios --seed S --format json --jobs 1` for COUNT master
# seeds from FIRST_SEED (release build, ISCERT_PARALLEL processes at a time,
# default: the number of cores) and prints, per check, failed / applied with a
# 95% Wilson interval beside the declared rate alpha/m, and the share of runs with
# any false alarm (ci/false_alarms.py). --output also writes them as JSON. The
# committed measurements in docs/measurements/ come from:
#   ci/measure-false-alarms.sh 5001 200 --output docs/measurements/false-alarms-default.json
#   ci/measure-false-alarms.sh 6001 200 --output docs/measurements/false-alarms-nominal.json --alpha 0.05 --family-checks 1
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:?first seed}; count=${2:?number of seeds}; shift 2
output=()
if [[ "${1:-}" == "--output" ]]; then output=(--output "${2:?output file}"); shift 2; fi
command="ci/measure-false-alarms.sh $first $count${*:+ $*}"
swift build -c release --product iscert >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seq "$first" $((first + count - 1)) | xargs -P "${ISCERT_PARALLEL:-$(nproc)}" -I{} \
  bash -c '.build/release/iscert check Scenarios --seed "$1" --format json --jobs 1 "${@:2}" > "$0/$1.json" || [ $? -eq 1 ]' \
  "$out" {} "$@"
python3 ci/false_alarms.py "$out" --command "$command" "${output[@]}"
