#!/usr/bin/env bash
# Builds everything and runs the test suite (Swift Testing): unit tests of every
# module, end-to-end tests of the iscert binary, and every file in Scenarios/ as
# one case of a parameterized test.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
