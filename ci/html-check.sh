#!/usr/bin/env bash
# Checks the HTML report in a real browser: builds iscert, writes the report of
# gap-sweep (with its JSON twin) and of every scenario to .build/reports/, then
# loads them in headless Chromium and asserts on what it drew (ci/html_check.py):
# the slider moved by a URL fragment (#gap=1.5), the ESS/N and spreads it shows,
# the density curves, every chart and histogram. Screenshots stay in
# .build/reports/. Installs Chromium (and python3) with apt-get when absent.
# Exit status: 0 when every check passes, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  echo "installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
chromium --version 2>/dev/null

reports=.build/reports
mkdir -p "$reports"
swift build --product iscert
iscert="$(swift build --show-bin-path)/iscert"
"$iscert" check Scenarios/gap-sweep.iscert --format html --output "$reports/gap-sweep.html"
"$iscert" check Scenarios/gap-sweep.iscert --format json --output "$reports/gap-sweep.json"
# A scenario not met (exit 1) still gets its report; bad input (2) stops here.
status=0
"$iscert" check Scenarios --format html --output "$reports/iscert.html" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi

python3 ci/html_check.py "$reports"
