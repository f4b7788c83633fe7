#!/usr/bin/env bash
# `tern test`: installs what the tests need (idempotent), builds, and runs every test: unit tests
# and the end-to-end tests against a lab it brings up and takes down.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
./node-image/install-deps.sh
# A lab left behind by a crashed run would be in the way; this one removes only what the lab made.
./tests/lab/lab.sh down >/dev/null 2>&1 || true
mvn -B -ntp verify "$@"
