#!/usr/bin/env bash
# Merges the shard files in FOLDER into the run's report: the text report on
# standard output, the JSON and JUnit reports in .build/reports/. This is the
# release gate. Exit status: 0 when every scenario is met, 1 when one is not,
# 2 when a shard is missing, duplicated or from another run.
#
#   ci/merge-shards.sh FOLDER
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:?folder of shard files}
swift build -c release --product iscert
shopt -s nullglob
shards=("$folder"/*.json)
if [ ${#shards[@]} -eq 0 ]; then
  echo "error: no shard files (*.json) in $folder" >&2
  exit 2
fi
mkdir -p .build/reports
status=0
.build/release/iscert merge "${shards[@]}" --format json > .build/reports/iscert.json || status=$?
if [ "$status" -le 1 ]; then
  .build/release/iscert merge "${shards[@]}" --format junit > .build/reports/iscert.xml || true
  .build/release/iscert merge "${shards[@]}" || true
fi
exit "$status"
