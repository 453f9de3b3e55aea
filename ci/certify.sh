#!/usr/bin/env bash
# Certifies every scenario in Scenarios/ with the iscert command and keeps the
# JSON report. Exit status: 0 all met, 1 a scenario not met, 2 bad input.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build/reports
swift run iscert check Scenarios --format json > .build/reports/iscert.json
swift run iscert check Scenarios
