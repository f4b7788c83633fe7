#!/usr/bin/env bash
# `tern demo`: installs what Tern needs (idempotent), builds it, brings up a lab of a gateway and
# three nodes, starts a job that holds a live TCP conversation with a peer outside the cluster,
# migrates it back and forth with the figures printed, and leaves the cluster running.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
say() { printf '\n== %s\n' "$*"; }

say "installing what Tern needs (Debian packages, CRIU from Debian testing, the Maven build)"
./node-image/install-deps.sh
mvn -B -ntp -q -DskipTests package

say "bringing up the lab: gateway + 3 nodes, each 0.5 CPU on a 100mbit link"
./tern lab up
./tern nodes

say "an outside peer on 10.77.0.1 (the root namespace) that echoes numbered lines and checks their order"
work=/var/tmp/tern-demo
mkdir -p "$work"; chmod 1777 "$work"; rm -f "$work/stop" "$work/peer.log"
# the job runs as nobody, who may not read a private checkout
install -m 644 "$root/tests/src/test/resources/jobs/talker.py" "$work/talker.py"
install -m 644 "$root/tests/src/test/resources/jobs/spin.py" "$work/spin.py"
setsid python3 "$root/tests/demo/peer.py" 10.77.0.1 9099 > "$work/peer.log" 2>&1 < /dev/null &
# the lab's teardown ends every service whose PID it holds, the demo's peer included
echo $! > /run/tern/lab/demo-peer.pid
sleep 0.5

say "starting a job on n1 that talks to the peer through the gateway (source NAT)"
cd "$work"
job=$("$root/tern" run --detach --node n1 --user nobody -- /usr/bin/python3 "$work/talker.py" 10.77.0.1 9099 "$work/stop" 0.01)
echo "job $job"
sleep 2
"$root/tern" ps

for to in n2 n3 n1 n2; do
  say "migrating $job to $to"
  before=$(tail -n1 "$work/peer.log")
  "$root/tern" migrate "$job" --to "$to"
  sleep 1.5
  echo "before: $before"
  echo "after:  $(tail -n1 "$work/peer.log")"
done

say "the conversation went on through every move:"
tail -n1 "$work/peer.log"

say "the balancer: two CPU-bound jobs started together on n3; one moves to where it gets more CPU"
"$root/tern" balance on
hog1=$("$root/tern" run --detach --node n3 --user nobody -- /usr/bin/python3 "$work/spin.py")
hog2=$("$root/tern" run --detach --node n3 --user nobody -- /usr/bin/python3 "$work/spin.py")
for _ in $(seq 1 30); do
  sleep 1
  n1=$("$root/tern" ps -o json | python3 -c "import json,sys; j={x['id']:x for x in json.load(sys.stdin)}; print(j['$hog1']['node'], j['$hog2']['node'])")
  [ "${n1% *}" != "${n1#* }" ] && break
done
"$root/tern" ps
"$root/tern" events -n 8
"$root/tern" kill "$hog1" >/dev/null
"$root/tern" kill "$hog2" >/dev/null
"$root/tern" ps
"$root/tern" migrations
cat <<EOM

The cluster is still running, and so is job $job.
  look at it:    ./tern ps     ./tern nodes     ./tern migrations     ./tern events     ./tern lab status
                 ./tern migrate $job            (to the least-loaded other node)
  in a browser:  http://10.77.0.2:7070/   (the admin page; its token: cat /run/tern/lab/admin-token)
  end the job:   touch $work/stop   (or ./tern kill $job)
  take it down:  ./tern lab down   (the demo's peer goes with it)
EOM
