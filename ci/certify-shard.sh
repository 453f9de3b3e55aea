#!/usr/bin/env bash
# Certifies shard INDEX of COUNT of Scenarios/ and writes its shard file (the
# per-block statistics that `iscert merge` combines; docs/shard-format.md).
#
#   ci/certify-shard.sh INDEX COUNT OUTPUT [iscert check options...]
#
# Every shard of a run must be given the same options. Exit status: 0 when the
# shard file was written, 2 on bad input. The verdict comes from the merge.
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:?shard index}; count=${2:?number of shards}; output=${3:?shard file to write}; shift 3
swift build -c release --product iscert
mkdir -p "$(dirname "$output")"
# The output belongs to this script (a CI workspace), so a rerun may replace it.
.build/release/iscert check Scenarios --shard "$index/$count" --output "$output" --force "$@"
