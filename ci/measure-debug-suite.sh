#!/usr/bin/env bash
# Measures the debug test suite (what plain `swift test` runs) in one or more
# checkouts, in alternation so that other work on the machine falls on all of them.
#
#   ci/measure-debug-suite.sh ROUNDS [[VAR=VALUE:]CHECKOUT...]   (default: this checkout)
#
# VAR=VALUE: sets one environment variable for that checkout's build and runs, e.g.
# ISCERT_ONONE=1:DIR for the engine at -Onone (Package.swift reads it).
#
# Builds each checkout's tests once, then runs `swift test --skip-build` ROUNDS
# times in each, one checkout after the other, and prints for every run the test
# time Swift Testing reports, the CPU time of the run (user + system, children
# included) and the load average; then the median of each. Example, this checkout
# against a copy of main:
#   git worktree add --detach /tmp/main-copy main && ci/measure-debug-suite.sh 3 /tmp/main-copy .
# or this commit with the engine at -Onone against itself at -O:
#   git worktree add --detach /tmp/onone HEAD && ci/measure-debug-suite.sh 3 ISCERT_ONONE=1:/tmp/onone .
set -euo pipefail
rounds=${1:?rounds}; shift
checkouts=("$@")
[ ${#checkouts[@]} -gt 0 ] || checkouts=("$(cd "$(dirname "$0")/.." && pwd)")
# The checkout of an argument, and the `env` arguments of its environment.
dir() { [[ "$1" == *=*:* ]] && echo "${1#*:}" || echo "$1"; }
vars() { [[ "$1" == *=*:* ]] && echo "${1%%:*}" || true; }
for c in "${checkouts[@]}"; do (cd "$(dir "$c")" && env $(vars "$c") swift build --build-tests >/dev/null); done
log=$(mktemp)
for ((r = 1; r <= rounds; r++)); do
  for c in "${checkouts[@]}"; do
    out=$(mktemp)
    ( cd "$(dir "$c")" && env $(vars "$c") /usr/bin/time -f "%U %S" -o "$out.time" swift test --skip-build >"$out" 2>&1 ) || true
    test=$(grep -o "Test run with .* after [0-9.]* seconds" "$out" | grep -o "[0-9.]* seconds" | cut -d' ' -f1)
    status=$(grep -q "Test run with .* passed after" "$out" && echo passed || echo FAILED)
    read -r user sys < <(tail -1 "$out.time")   # (after "Command exited with ..." on a failure)
    cpu=$(echo "$user + $sys" | bc)
    printf "round %d  %-40s test %7ss  cpu %7.1fs  load %s  %s\n" "$r" "$c" "$test" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)" "$status"
    echo "$c $test $cpu" >> "$log"
    rm -f "$out" "$out.time"
  done
done
for c in "${checkouts[@]}"; do
  awk -v c="$c" 'BEGIN { n = 0 } $1 == c { t[n] = $2 + 0; u[n] = $3 + 0; n++ }
    function median(a, m,   i, j, x) { for (i = 0; i < m; i++) for (j = i + 1; j < m; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
                                       return m % 2 ? a[int(m / 2)] : (a[m / 2 - 1] + a[m / 2]) / 2 }
    END { printf "median    %-40s test %7.1fs  cpu %7.1fs  (%d runs)\n", c, median(t, n), median(u, n), n }' "$log"
done
rm -f "$log"
