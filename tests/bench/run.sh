#!/usr/bin/env bash
# Runs the benchmarks against a fresh lab each (not part of `tern test`): the real thing, with
# figures printed beside their reference. Usage: tests/bench/run.sh [freeze] [forwarding] [start]
# [simulator] [lab-balance] [memory] [web] (default: all) [appliance] [chaos] [-Dbench.runs=N]
# [-Dsim.jobs=N -Dsim.seeds=N -Dsim.firstSeed=N -Dsim.min=S -Dsim.max=S]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$root"
./node-image/install-deps.sh
# the reference forwarder of the forwarding benchmark (Debian's package; its service is not started)
dpkg -s haproxy >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy
benches=() opts=()
for a in "$@"; do case "$a" in -D*) opts+=("$a") ;; *) benches+=("$a") ;; esac; done
[ ${#benches[@]} -gt 0 ] || benches=(freeze forwarding start simulator lab-balance memory web)
mkdir -p tests/bench/out
for b in "${benches[@]}"; do
  uses_lab=1
  case "$b" in
    # migration freeze against the link's limit: the tests' lab (0.5 CPU, 100mbit)
    freeze) tests=FreezeTimeBench lab=() ;;
    # the forwarder is what is measured, so the links are unshaped and a node may use both CPUs
    forwarding) tests=ForwardingBench lab=(-Dtern.lab.cpu=2 -Dtern.lab.link=unshaped) ;;
    start) tests=StartOverheadBench lab=() ;;
    # the balancer's policy in a simulated cluster: no lab, so it leaves alone one that others use
    simulator) tests=SimulatorBench lab=() uses_lab=0 ;;
    # a mixed workload in the tests' lab, balancer off and on
    lab-balance) tests=LabBalanceBench lab=() ;;
    # resident memory of the gateway and a migrator, idle and with jobs, split by the JVM's own tracking
    memory) tests=MemoryBench lab=(-Dtern.lab.javaOpts=-XX:NativeMemoryTracking=summary) ;;
    # the admin page: its weight and first render in chromium, the push stream and the gateway's CPU with 150 jobs
    web) tests=WebPageBench lab=() ;;
    # the appliance in VMs booted from the images (built first: `tern image` prints their build times)
    appliance) tests=ApplianceBench lab=() uses_lab=0; ./tern image all ;;
    # not a benchmark: ten minutes of random operations with the invariants checked (-Dtern.chaos.minutes=N)
    chaos) tests=ChaosTest lab=() ;;
    *) echo "tests/bench/run.sh: unknown benchmark '$b' (freeze, forwarding, start, simulator, lab-balance, memory, web, appliance, chaos)" >&2; exit 2 ;;
  esac
  [ "$uses_lab" = 0 ] || ./tests/lab/lab.sh down >/dev/null 2>&1 || true
  mvn -B -ntp verify -pl tests -am -Dtern.groups=bench,chaos -Dtern.excludedGroups=none -Dtest="$tests" \
    -Dsurefire.failIfNoSpecifiedTests=false ${lab[@]+"${lab[@]}"} ${opts[@]+"${opts[@]}"}
done
echo
for b in "${benches[@]}"; do
  f=tests/bench/out/$b.md
  [ -f "$f" ] && { echo "== $b"; cat "$f"; echo; }
done
