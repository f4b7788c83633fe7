#!/usr/bin/env bash
# `tern test`: installs what the tests need (idempotent), then in stages, each timed, the first
# failure ending the run:
#   1. shellcheck on every shell script;
#   2. the enforcer (Java and Maven versions) and checkstyle on every module (Maven's validate);
#   3. the build as root: compile, the unit tests that need root (@Tag("root")), the jars; this also
#      fills root's Maven repository for stage 4;
#   4. every other unit test, as an unprivileged user, offline (tests/unit-unprivileged.sh);
#   5. the appliance's images, built from Debian's packages (tern image), after a build of them cut
#      short by an interrupt (tests/images-interrupted.sh; TERN_TEST_IMAGES=0 leaves them out);
#   6. the end-to-end tests against a lab it brings up and takes down;
#   7. the appliance in virtual machines booted from those images (tests tagged vm; under emulation
#      about 26 minutes; TERN_TEST_VM=0 leaves them out).
# With the VMs, the chaos test of stage 6 runs 5 minutes instead of 10, so that the whole run stays
# within CI's hour (tests/bench/run.sh chaos runs it for longer).
# Arguments go to stage 6's Maven (e.g. -Dtest=LabTest -Dsurefire.failIfNoSpecifiedTests=false).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

stage() { # name command...
  local name=$1 t0=$SECONDS
  shift
  printf 'tern test: == %s\n' "$name" >&2
  "$@"
  printf 'tern test: == %s: passed in %d s\n' "$name" $((SECONDS - t0)) >&2
}

stage "set-up" ./node-image/install-deps.sh
stage "shellcheck" build/check-shell.sh
stage "versions and style" mvn -B -ntp -q validate
stage "build, and the unit tests that need root" mvn -B -ntp package -pl '!tests' -Dtern.unit.groups=root
stage "unit tests without root" tests/unit-unprivileged.sh
vm=${TERN_TEST_VM:-1}
images=${TERN_TEST_IMAGES:-1}
chaos=()
[ "$vm" = 1 ] && images=1 && chaos=(-Dtern.chaos.minutes=5)
[ "$images" = 1 ] && stage "the appliance's images (a build interrupted, then a whole one)" tests/images-interrupted.sh
# A lab left behind by a crashed run would be in the way; this one removes only what the lab made.
./tests/lab/lab.sh down >/dev/null 2>&1 || true
# the modules' unit tests ran above: here only the root ones again, in passing
stage "end-to-end tests on the lab" mvn -B -ntp verify -Dtern.unit.groups=root ${chaos[@]+"${chaos[@]}"} "$@"
# the VMs' own tests, alone: four emulated machines take both cores
[ "$vm" = 1 ] && stage "the appliance in virtual machines" mvn -B -ntp verify -pl tests -am -Dtern.unit.groups=root \
  -Dtern.groups=vm -Dtern.excludedGroups=none -Dtest='ApplianceVmTest' -Dsurefire.failIfNoSpecifiedTests=false
exit 0
