#!/usr/bin/env bash
# tern lab: a real Tern cluster on one Linux machine, made of network namespaces.
#
#   root namespace (the outside world) --tern-out/out0-- tern-gw --lan0 bridge-- tern-n1 .. tern-nN
#
# Every node is capped to a CPU share (cgroup v1 cpu.cfs_quota_us) and its LAN link is shaped
# (tc tbf, both directions). The real gateway service runs in tern-gw and the real migrator in
# every node namespace. Everything made here is named tern-* and removed by `down`, also after a
# crash: `down` works from what exists, not from what the state file remembers.
set -euo pipefail

LAB_DIR=${TERN_LAB_DIR:-/run/tern/lab}
IMAGES_DIR=/dev/shm/tern
CG_CPU=/sys/fs/cgroup/cpu/tern
CG_CPUACCT=/sys/fs/cgroup/cpuacct/tern
OUT_ROOT_IP=10.77.0.1
OUT_GW_IP=10.77.0.2
LAN_GW_IP=10.78.0.1
VIP_POOL=10.79.0.0/24
API_PORT=7070
# where PCs on the LAN enroll for their name and the cluster secret (tern.admission.Enrollment)
ENROLL_PORT=7072
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)

die() { echo "tern lab: $*" >&2; exit 1; }
say() { echo "tern lab: $*" >&2; }

usage() {
  cat <<EOF
usage: tern lab up [--nodes N] [--cpu SHARE] [--link RATE] [--java-opts OPTS]
                                                   build the lab and start its services
       tern lab down                                     remove everything the lab made
       tern lab status [-o json]                          what is up, addresses and service PIDs
       tern lab add-node --enroll                        one more node (n4, n5, ...) that has no secret file:
                                                   it enrolls at the gateway and waits until its MAC is
                                                   accepted (tern nodes accept MAC); prints its name,
                                                   LAN address and MAC
       tern lab remove-node NAME                         stop an added node and remove its namespace
       tern lab restart NODE [OPTION...]                  restart NODE's migrator (SIGTERM: it drains
                                                   first) with these extra options, until the next
                                                   restart without any; e.g. a node that stands in
                                                   for an older CPU: --cpu-features-without avx2,bmi2
  --nodes N     number of node namespaces (default 3)
  --cpu SHARE   CPU cap of each node, in CPUs (default 0.5)
  --link RATE   each node's LAN link rate, as tc writes it (default 100mbit), or "unshaped"
                (plain veth, as fast as the CPU: for benchmarks of the gateway itself)
  --java-opts OPTS  extra JVM options for the gateway and the migrators, space-separated (the
                memory benchmark turns on Native Memory Tracking with it)
EOF
}

node_ip() { echo "10.78.0.$((10 + $1))"; }

# One class path for both services (the class-data archive serves only the class path it was made
# with): the gateway's jar, the migrator's, and the libraries (the migrator's are a subset of the gateway's).
classpath() {
  local gateway migrator
  gateway=("$ROOT"/gateway/target/tern-gateway-*.jar)
  migrator=("$ROOT"/migration/target/tern-migration-*.jar)
  if [ ! -e "${gateway[0]}" ] || [ ! -e "${migrator[0]}" ]; then
    die "the gateway or the migrator is not built: run 'mvn -q -DskipTests package' in $ROOT (the launcher does it)"
  fi
  echo "${gateway[0]}:${migrator[0]}:$ROOT/gateway/target/lib/*"
}

alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# Runs a service in a namespace under a restart loop (what systemd's Restart=always does on a
# real node); the loop is its own session so `down` can end the loop and the service together.
# Each start adds the options in NAME.options (one a line), if there is one (`tern lab restart`).
start_service() { # name netns log cmd...
  local name=$1 ns=$2 log=$3; shift 3
  # shellcheck disable=SC2016  # the loop's script: its variables are the inner shell's
  setsid bash -c '
    name=$1 pidfile=$2 stopfile=$3 optionsfile=$4; shift 4
    trap "kill \$child 2>/dev/null; exit 0" TERM INT
    while :; do
      extra=()
      [ -f "$optionsfile" ] && mapfile -t extra < "$optionsfile"
      "$@" ${extra[@]+"${extra[@]}"} &
      child=$!
      echo "$child" > "$pidfile"
      wait "$child" || true
      [ -f "$stopfile" ] && exit 0
      echo "$(date +%T) tern lab: $name exited, restarting" >&2
      sleep 0.2
    done' bash "$name" "$LAB_DIR/$name.pid" "$LAB_DIR/$name.stop" "$LAB_DIR/$name.options" nsenter --net=/run/netns/"$ns" -- "$@" >>"$log" 2>&1 </dev/null &
  echo $! > "$LAB_DIR/$name.supervisor"
}

wait_for_pidfile() {
  local f=$1 i
  for i in $(seq 1 50); do [ -s "$f" ] && return 0; sleep 0.1; done
  die "service did not start: $f missing"
}

# A node namespace on the LAN bridge, its link shaped both ways, its CPU capped: make_node I QUOTA LINK
make_node() {
  local i=$1 quota=$2 link=$3 ns=tern-n$1 ip; ip=$(node_ip "$1")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n tern-gw link add "ln$i" type veth peer name eth0 netns "$ns"
  ip -n tern-gw link set "ln$i" master lan0
  ip -n tern-gw link set "ln$i" up
  ip -n "$ns" addr add "$ip/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via $LAN_GW_IP
  nsenter --net=/run/netns/"$ns" sysctl -qw net.ipv4.ip_forward=1
  # shaped both ways: node -> LAN and LAN -> node
  if [ "$link" != unshaped ]; then
    ip netns exec "$ns" tc qdisc replace dev eth0 root tbf rate "$link" burst 64kb latency 20ms
    ip netns exec tern-gw tc qdisc replace dev "ln$i" root tbf rate "$link" burst 64kb latency 20ms
  fi
  mkdir -p "$CG_CPU/n$i" "$CG_CPUACCT/n$i"
  echo 100000 > "$CG_CPU/n$i/cpu.cfs_period_us"
  echo "$quota" > "$CG_CPU/n$i/cpu.cfs_quota_us"
}

# The migrator of node I under its restart loop, with the lab's JVM options: start_migrator I CPU LINK_RATE JAVA_OPTS ARGS...
# (ARGS: --node NAME with the lab's secret file, or --enroll to get both from the gateway)
start_migrator() {
  local i=$1 cpu=$2 link_rate=$3 java_opts=$4; shift 4
  local jvm=$ROOT/node-image/jvm cp env_vars extra archive=$ROOT/gateway/target/tern-services.jsa
  cp=$(classpath)
  mapfile -t env_vars < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$jvm/environment")
  read -r -a extra <<< "$java_opts"
  [ -s "$archive" ] && extra=(-XX:SharedArchiveFile="$archive" ${extra[@]+"${extra[@]}"})
  start_service "n$i" "tern-n$i" "$LAB_DIR/n$i.log" \
    env "${env_vars[@]}" java @"$jvm/common.options" @"$jvm/migrator.options" ${extra[@]+"${extra[@]}"} -cp "$cp" tern.migration.MigratorMain \
      "$@" --lan-ip "$(node_ip "$i")" --gateway $LAN_GW_IP \
      --cpu "$cpu" --link "$link_rate" --cgroup "/tern/n$i" --images "$IMAGES_DIR/n$i" --state-dir "$LAB_DIR/n$i" \
      --allow-fault-injection
}

lab_up() {
  local nodes=3 cpu=0.5 link=100mbit java_opts=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
      --cpu) cpu=${2:?--cpu needs a share}; shift 2 ;;
      --link) link=${2:?--link needs a rate}; shift 2 ;;
      --java-opts) java_opts=${2?--java-opts needs options}; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown option $1" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9][0-9]?$ && "$nodes" -le 50 ]] || die "--nodes must be 1..50, got '$nodes'"
  [[ "$cpu" =~ ^[0-9]*\.?[0-9]+$ ]] || die "--cpu must be a number of CPUs such as 0.5, got '$cpu'"
  [[ "$link" =~ ^[0-9]+(k|m|g)?bit$ ]] || [ "$link" = unshaped ] \
    || die "--link must be a tc rate such as 100mbit, or unshaped, got '$link'"
  # what the migrators are told an unshaped veth carries (their cost model needs a figure)
  local link_rate=$link; [ "$link" = unshaped ] && link_rate=10gbit
  [ "$(id -u)" -eq 0 ] || die "must run as root (it makes namespaces, cgroups and routes)"

  if [ -f "$LAB_DIR/state.env" ] && alive "$(cat "$LAB_DIR/gateway.pid" 2>/dev/null)"; then
    say "already up (tern lab down first to change its shape)"
    lab_status
    return 0
  fi
  lab_down quiet
  local cp; cp=$(classpath)
  # a new lab is a new cluster: nothing of an earlier one's state (jobs, known members) may leak in
  rm -rf "$LAB_DIR"/gateway "$LAB_DIR"/n[0-9]*
  mkdir -p "$LAB_DIR" "$IMAGES_DIR"
  chmod 700 "$LAB_DIR"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$LAB_DIR/cluster-secret"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$LAB_DIR/admin-token"
  chmod 600 "$LAB_DIR/cluster-secret" "$LAB_DIR/admin-token"

  # gateway and its outside link
  ip netns add tern-gw
  ip -n tern-gw link set lo up
  ip link add tern-out type veth peer name out0 netns tern-gw
  ip addr add $OUT_ROOT_IP/30 dev tern-out
  ip link set tern-out up
  ip -n tern-gw addr add $OUT_GW_IP/30 dev out0
  ip -n tern-gw link set out0 up
  ip -n tern-gw link add lan0 type bridge
  ip -n tern-gw addr add $LAN_GW_IP/24 dev lan0
  ip -n tern-gw link set lan0 up
  nsenter --net=/run/netns/tern-gw sysctl -qw net.ipv4.ip_forward=1

  local quota
  quota=$(awk -v c="$cpu" 'BEGIN { printf "%d", c * 100000 }')
  for i in $(seq 1 "$nodes"); do make_node "$i" "$quota" "$link"; done

  cat > "$LAB_DIR/state.env" <<EOF
NODES=$nodes
CPU=$cpu
LINK=$link
LINK_RATE=$link_rate
JAVA_OPTS=$java_opts
EOF
  rm -f "$LAB_DIR"/*.stop
  # the same JVM options and environment as a real machine's units (node-image/jvm/, where each is explained)
  local jvm=$ROOT/node-image/jvm env_vars extra
  mapfile -t env_vars < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$jvm/environment")
  read -r -a extra <<< "$java_opts"
  # the services' class-data archive, made again after each build (node-image/jvm/class-archive.sh)
  local archive=$ROOT/gateway/target/tern-services.jsa
  if [ ! -s "$archive" ] || [ -n "$(find "$ROOT"/gateway/target/tern-gateway-*.jar "$ROOT"/migration/target/tern-migration-*.jar "$ROOT/gateway/target/lib" -newer "$archive" -print -quit)" ]; then
    "$jvm/class-archive.sh" "$cp" "$archive" >"$LAB_DIR/class-archive.log" 2>&1 \
      || say "warning: no class-data archive, the services start without it (see $LAB_DIR/class-archive.log)"
  fi
  [ -s "$archive" ] && extra=(-XX:SharedArchiveFile="$archive" ${extra[@]+"${extra[@]}"})
  # the gateway's options, plus those in gateway.args (one a line), read again at each start: a test
  # restarts the gateway with other options there, as an admin edits gateway.env on the appliance
  # (lab_down removed any earlier one)
  # shellcheck disable=SC2016  # the wrapper's script: its variables are its own
  start_service gateway tern-gw "$LAB_DIR/gateway.log" \
    bash -c 'more=(); [ -f "$0" ] && mapfile -t more < "$0"; exec "$@" ${more[@]+"${more[@]}"}' "$LAB_DIR/gateway.args" \
    env "${env_vars[@]}" java @"$jvm/common.options" @"$jvm/gateway.options" ${extra[@]+"${extra[@]}"} -cp "$cp" tern.service.GatewayMain \
      --lan-ip $LAN_GW_IP --outside-ip $OUT_GW_IP --outside-if out0 --api-port $API_PORT \
      --vip-pool $VIP_POOL --secret-file "$LAB_DIR/cluster-secret" --admin-token-file "$LAB_DIR/admin-token" \
      --state-dir "$LAB_DIR/gateway" --idle-timeout 20 --max-connections 64 --enroll-port $ENROLL_PORT
  for i in $(seq 1 "$nodes"); do
    start_migrator "$i" "$cpu" "$link_rate" "$java_opts" --node "n$i" --secret-file "$LAB_DIR/cluster-secret"
  done
  cat > "$LAB_DIR/client.json" <<EOF
{"url": "http://$OUT_GW_IP:$API_PORT", "tokenFile": "$LAB_DIR/admin-token"}
EOF
  wait_for_pidfile "$LAB_DIR/gateway.pid"
  say "waiting for the gateway and $nodes migrators to join the cluster"
  local i
  for i in $(seq 1 600); do
    # up: its migrator takes commands (a node that left, or one still starting, is not)
    if "$ROOT/tern" nodes -o json 2>/dev/null | grep -o '"state" *: *"up"' | wc -l | grep -qx "$nodes"; then
      say "up: gateway $OUT_GW_IP (outside), $LAN_GW_IP (LAN); $nodes nodes at $cpu CPU, $link"
      return 0
    fi
    sleep 0.2
  done
  die "the cluster did not form within 120 s; see $LAB_DIR/*.log"
}

lab_down() {
  local quiet=${1:-}
  mkdir -p "$LAB_DIR"
  # services: stop the restart loops first, then the services, by the PIDs we recorded
  local f pid
  for f in "$LAB_DIR"/*.supervisor; do
    [ -e "$f" ] || continue
    touch "${f%.supervisor}.stop"
    pid=$(cat "$f")
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for f in "$LAB_DIR"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for f in "$LAB_DIR"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 1 30); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  # jobs: every process in a cgroup the lab made was started by the lab's migrators
  local procs
  for cg in "$CG_CPU" "$CG_CPUACCT"; do
    [ -d "$cg" ] || continue
    while IFS= read -r -d '' procs; do
      while read -r pid; do
        if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
      done < "$procs"
    done < <(find "$cg" -name cgroup.procs -print0)
  done
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep '^tern-' || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del tern-out 2>/dev/null || true
  for cg in "$CG_CPU" "$CG_CPUACCT"; do
    [ -d "$cg" ] || continue
    for _ in $(seq 1 50); do
      find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
      [ -d "$cg" ] || break
      sleep 0.1
    done
    [ -d "$cg" ] && say "warning: cgroup $cg still busy"
  done
  rm -rf "$IMAGES_DIR"
  rm -f "$LAB_DIR"/*.pid "$LAB_DIR"/*.supervisor "$LAB_DIR"/*.stop "$LAB_DIR"/*.options "$LAB_DIR/state.env" "$LAB_DIR/client.json" "$LAB_DIR/gateway.args"
  [ -n "$quiet" ] || say "down: namespaces, links, cgroups and services removed"
}

# A node the lab's nodes were not started with, like a PC switched on later: it has no secret file and
# enrolls at the gateway (the lab's own nodes keep theirs, so the rest of the suite is unchanged).
lab_add_node() {
  if [ $# -ne 1 ] || [ "$1" != --enroll ]; then die "usage: tern lab add-node --enroll"; fi
  [ -f "$LAB_DIR/state.env" ] || die "the lab is down (tern lab up first)"
  local i=$(( $(state NODES) + 1 )) quota
  while [ -e "/run/netns/tern-n$i" ]; do i=$((i + 1)); done
  [ "$i" -le 50 ] || die "no room for another node (n$i)"
  quota=$(awk -v c="$(state CPU)" 'BEGIN { printf "%d", c * 100000 }')
  make_node "$i" "$quota" "$(state LINK)"
  rm -rf "${LAB_DIR:?}/n$i"
  mkdir -p "$LAB_DIR/n$i"
  rm -f "$LAB_DIR/n$i.stop"
  start_migrator "$i" "$(state CPU)" "$(state LINK_RATE)" "$(state JAVA_OPTS)" \
    --enroll "$LAN_GW_IP:$ENROLL_PORT" --secret-file "$LAB_DIR/n$i/cluster-secret"
  wait_for_pidfile "$LAB_DIR/n$i.pid"
  printf 'n%s %s %s\n' "$i" "$(node_ip "$i")" "$(ip -n "tern-n$i" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')"
}

# Takes an added node out again (its migrator stopped, its namespace and cgroups removed): remove-node NAME
lab_remove_node() {
  local name=${1:-} pid f
  if ! [[ "$name" =~ ^n[0-9]+$ ]] || ! [ -e "/run/netns/tern-$name" ]; then
    die "usage: tern lab remove-node NAME (a node of the lab, e.g. n4)"
  fi
  touch "$LAB_DIR/$name.stop"
  for f in "$LAB_DIR/$name.supervisor" "$LAB_DIR/$name.pid"; do
    pid=$(cat "$f" 2>/dev/null || true)
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  pid=$(cat "$LAB_DIR/$name.pid" 2>/dev/null || true)
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  ip netns del "tern-$name" 2>/dev/null || true
  rmdir "$CG_CPU/$name" "$CG_CPUACCT/$name" 2>/dev/null || true
  rm -f "$LAB_DIR/$name".{pid,supervisor,stop,options}
}

# The cluster member that NODE's migrator is, and its state, as `tern nodes` lists them ("- none" if not listed).
node_member() {
  "$ROOT/tern" nodes -o json 2>/dev/null | python3 -c '
import json, sys
nodes = [n for n in json.load(sys.stdin) if n["name"] == sys.argv[1]]
print(nodes[0].get("member") or "-", nodes[0]["state"]) if nodes else print("- none")' "$1" || echo "- none"
}

lab_restart() {
  local node=${1:-}
  [ -n "$node" ] || { usage >&2; die "restart needs a node"; }
  shift
  if ! [[ "$node" =~ ^n[0-9]+$ ]] || [ ! -f "$LAB_DIR/$node.supervisor" ]; then die "no node '$node' in the lab (tern lab status)"; fi
  local before pid member state
  read -r before _ < <(node_member "$node")
  if [ $# -gt 0 ]; then printf '%s\n' "$@" > "$LAB_DIR/$node.options"; else rm -f "$LAB_DIR/$node.options"; fi
  pid=$(cat "$LAB_DIR/$node.pid")
  # a shutdown's signal: the node drains before it stops, and its restart loop starts it again
  if alive "$pid"; then kill -TERM "$pid"; fi
  for _ in $(seq 1 1800); do
    read -r member state < <(node_member "$node")
    if [ "$member" != "$before" ] && [ "$state" = up ]; then
      say "$node restarted${1:+ with $*}"
      return 0
    fi
    sleep 0.2
  done
  die "$node's migrator was not up again within 6 minutes; see $LAB_DIR/$node.log"
}

# A value the lab's state file records (NODES, CPU, LINK, LINK_RATE, JAVA_OPTS).
state() { sed -n "s/^$1=//p" "$LAB_DIR/state.env"; }

lab_status() {
  local json=0
  [ "${1:-}" = "-o" ] && [ "${2:-}" = "json" ] && json=1
  if [ ! -f "$LAB_DIR/state.env" ]; then
    [ $json = 1 ] && echo '{"up": false}' || echo "lab is down"
    return 0
  fi
  local nodes cpu link
  nodes=$(state NODES) cpu=$(state CPU) link=$(state LINK)
  local gw_pid; gw_pid=$(cat "$LAB_DIR/gateway.pid" 2>/dev/null || echo 0)
  if [ $json = 1 ]; then
    printf '{"up": true, "cpu": %s, "link": "%s", "stateDir": "%s",\n' "$cpu" "$link" "$LAB_DIR"
    printf ' "gateway": {"namespace": "tern-gw", "outsideIp": "%s", "lanIp": "%s", "rootSideIp": "%s", "api": "http://%s:%s", "pid": %s, "alive": %s},\n' \
      $OUT_GW_IP $LAN_GW_IP $OUT_ROOT_IP $OUT_GW_IP $API_PORT "$gw_pid" "$(alive "$gw_pid" && echo true || echo false)"
    printf ' "nodes": ['
    local i pid
    for i in $(seq 1 "$nodes"); do
      pid=$(cat "$LAB_DIR/n$i.pid" 2>/dev/null || echo 0)
      [ "$i" -gt 1 ] && printf ', '
      printf '{"name": "n%s", "namespace": "tern-n%s", "lanIp": "%s", "pid": %s, "alive": %s}' \
        "$i" "$i" "$(node_ip "$i")" "$pid" "$(alive "$pid" && echo true || echo false)"
    done
    printf ']}\n'
  else
    echo "lab up: $nodes nodes at $cpu CPU, $link links; state in $LAB_DIR"
    echo "gateway  tern-gw  outside $OUT_GW_IP  lan $LAN_GW_IP  pid $gw_pid $(alive "$gw_pid" || echo '(dead)')"
    local i pid
    for i in $(seq 1 "$nodes"); do
      pid=$(cat "$LAB_DIR/n$i.pid" 2>/dev/null || echo 0)
      echo "node n$i  tern-n$i  lan $(node_ip "$i")  pid $pid $(alive "$pid" || echo '(dead)')"
    done
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) lab_up "$@" ;;
  down) lab_down ;;
  status) lab_status "$@" ;;
  add-node) lab_add_node "$@" ;;
  remove-node) lab_remove_node "$@" ;;
  restart) lab_restart "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
