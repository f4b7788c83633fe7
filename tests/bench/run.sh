#!/usr/bin/env bash
# Runs the benchmarks against a fresh lab (not part of `tern test`): the real thing, with figures
# printed beside their reference. Usage: tests/bench/run.sh [-Dbench.runs=N]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
./node-image/install-deps.sh
./tests/lab/lab.sh down >/dev/null 2>&1 || true
mvn -B -ntp verify -pl tests -am -Dtern.groups=bench -Dtern.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo
cat tests/bench/out/*.md
