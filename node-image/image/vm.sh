#!/usr/bin/env bash
# tern vm up|down|status: the appliance in virtual machines, from the built images (tern image).
#   up [--nodes N] [--node-cpu MODEL[,MODEL...]] [--accel tcg|kvm] [--api-port PORT]
#        starts the gateway from a copy of out/tern-gateway-x86_64.img (its disk: kept across
#        `up`s, like a real gateway's; `down --wipe` throws it away) and N diskless node VMs that
#        boot from it over the network (default 2); waits until the API answers, then writes the
#        client's configuration (out/vm/client.json: TERN_CONFIG=out/vm/client.json tern nodes;
#        under emulation it says the gateway's pace, and the client waits that many times longer)
#   node [--cpu MODEL] [--mac MAC]   starts one more node VM
#   power-button NAME               presses a VM's ACPI power button (a clean shutdown)
#   reset NAME                      presses its reset button (a hard reboot)
#   down [--wipe]                   stops every VM (and with --wipe forgets the gateway's disk)
#   status [--json]                 what runs, and the API's address
# The gateway's outside port is qemu's user network: the API is at 127.0.0.1:PORT on this machine
# (default 17070), the exposed ports 20000-20009 at the same numbers, and the host is 10.0.2.2 from
# inside. Its LAN port and the nodes' cards share one virtual switch (a multicast socket on
# loopback), so nothing needs a tap, a bridge or root. Emulation (tcg) is the default because
# nested KVM hangs on the build machines; --accel kvm where KVM really works.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${TERN_IMAGE_OUT:-$root/out}
vm=$out/vm
image=$out/tern-gateway-x86_64.img

log() { printf 'tern vm: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
usage() { sed -n '2,20s/^# \{0,1\}//p' "$0"; }

qemu="qemu-system-x86_64"
command -v "$qemu" >/dev/null || die "$qemu is missing: run node-image/install-deps.sh"

# shellcheck disable=SC1091 # written by up
state() { if [ -f "$vm/state.env" ]; then . "$vm/state.env"; fi; }
alive() { local p; p=$(cat "$vm/$1.pid" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
names() { for f in "$vm"/*.pid; do [ -e "$f" ] && basename "$f" .pid; done; }

mcast_port() { echo $(( 20000 + ($(id -u) * 7 + ${TERN_VM_SWITCH:-0}) % 10000 )); }

start_qemu() { # name args...
  local name=$1
  shift
  alive "$name" && die "$name is already running (pid $(cat "$vm/$name.pid"))"
  rm -f "$vm/$name.console" "$vm/$name.monitor"
  "$qemu" -name "tern-$name" -accel "$ACCEL" -smp 1 -display none -no-user-config -nodefaults \
    -serial "file:$vm/$name.console" -monitor "unix:$vm/$name.monitor,server,nowait" \
    -pidfile "$vm/$name.pid" -daemonize "$@" 2>"$vm/$name.qemu.log" \
    || die "qemu would not start $name: $(tail -n 3 "$vm/$name.qemu.log")"
  log "$name: started (pid $(cat "$vm/$name.pid"), console $vm/$name.console)"
}

lan() { echo "-netdev socket,id=lan,mcast=230.0.78.1:$(mcast_port),localaddr=127.0.0.1"; }

start_node() { # name cpu mac
  # shellcheck disable=SC2046 # lan's words are qemu's arguments
  # a node that finds no gateway yet (no DHCP answer) reboots and asks again, as a PC's BIOS would
  start_qemu "$1" -machine pc -m "${TERN_VM_NODE_MEM:-768}" -cpu "$2" -boot order=n,reboot-timeout=5000 \
    $(lan) -device "e1000,netdev=lan,mac=$3"
  echo "$1 $2 $3" >> "$vm/nodes"
}

node_mac() { printf '52:54:00:7e:01:%02x' "$1"; }

up() {
  local nodes=2 cpus="max" api_port=17070 accel=tcg
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
      --node-cpu) cpus=${2:?--node-cpu needs a qemu CPU model}; shift 2 ;;
      --accel) accel=${2:?--accel needs tcg or kvm}; shift 2 ;;
      --api-port) api_port=${2:?--api-port needs a port}; shift 2 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  { [[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -le 20 ]; } || die "--nodes must be 0 to 20, got '$nodes'"
  { [[ "$api_port" =~ ^[0-9]+$ ]] && [ "$api_port" -ge 1024 ] && [ "$api_port" -le 65535 ]; } || die "--api-port must be 1024-65535, got '$api_port'"
  case "$accel" in tcg|kvm) ;; *) die "--accel must be tcg or kvm, got '$accel'" ;; esac
  [ -s "$image" ] || die "no gateway image at $image: build it first (tern image)"
  mkdir -p "$vm"
  ACCEL=$accel
  printf 'ACCEL=%s\nAPI_PORT=%s\n' "$accel" "$api_port" > "$vm/state.env"
  : > "$vm/nodes"
  # The gateway's own disk: a copy of the image, written to from now on as a real one would be
  if [ ! -s "$vm/gateway.img" ] || [ "$vm/gateway.img" -ot "$image" ]; then
    cp --sparse=always "$image" "$vm/gateway.img.new" && mv -f "$vm/gateway.img.new" "$vm/gateway.img"
    log "gateway: fresh disk from $image"
  fi
  local fwd="hostfwd=tcp:127.0.0.1:$api_port-:7070" p
  for p in $(seq 20000 20009); do fwd+=",hostfwd=tcp:127.0.0.1:$p-:$p"; done
  # shellcheck disable=SC2046 # lan's words are qemu's arguments
  start_qemu gateway -machine pc -m "${TERN_VM_GATEWAY_MEM:-1024}" -cpu max \
    -drive "file=$vm/gateway.img,format=raw,if=virtio" \
    -netdev "user,id=out,net=10.0.2.0/24,$fwd" -device virtio-net-pci,netdev=out,mac=52:54:00:7e:00:01,addr=0x4 \
    $(lan) -device virtio-net-pci,netdev=lan,mac=52:54:00:7e:00:02,addr=0x5
  local i cpu
  IFS=, read -r -a models <<< "$cpus"
  for i in $(seq 1 "$nodes"); do
    cpu=${models[$(( (i - 1) % ${#models[@]} ))]}
    start_node "node$i" "$cpu" "$(node_mac "$i")"
  done
  wait_api "$api_port"
}

# How many times slower than a real PC the gateway answers: the pace its services run at
# (node-image/jvm/emulated.options) when qemu emulates its CPU, so that the client waits as long as
# the gateway may take (a start waits for a node's answer at the same pace).
pace() {
  if [ "${ACCEL:-tcg}" = kvm ]; then echo 1; return; fi
  local p; p=$(sed -n 's/^-Dtern\.cluster\.pace=\([0-9]*\)$/\1/p' "$root/node-image/jvm/emulated.options")
  [ -n "$p" ] || die "node-image/jvm/emulated.options names no -Dtern.cluster.pace"
  echo "$p"
}

# The token is what the gateway's first boot printed on its console (as a person reads it there)
wait_api() { # port
  local port=$1 deadline=$((SECONDS + ${TERN_VM_TIMEOUT:-600})) token=""
  log "waiting for the gateway's API at 127.0.0.1:$port (under emulation a boot takes minutes)"
  while [ $SECONDS -lt $deadline ]; do
    alive gateway || die "the gateway VM stopped: see $vm/gateway.console"
    # anywhere in its line: the serial getty's terminal probe sometimes lands just before it
    token=$(sed -n 's/.*Tern gateway: admin token \([0-9a-f]*\).*/\1/p' "$vm/gateway.console" 2>/dev/null | tail -n1)
    if [ -n "$token" ] && curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/nodes" 2>/dev/null; then
      printf '%s\n' "$token" > "$vm/admin-token"
      chmod 600 "$vm/admin-token"
      printf '{"url": "http://127.0.0.1:%s", "tokenFile": "%s", "pace": %s}\n' "$port" "$vm/admin-token" "$(pace)" > "$vm/client.json"
      log "gateway: API answers at http://127.0.0.1:$port after $SECONDS s; client: TERN_CONFIG=$vm/client.json tern nodes"
      return 0
    fi
    sleep 5
  done
  die "the gateway's API did not answer within ${TERN_VM_TIMEOUT:-600} s: see $vm/gateway.console"
}

node() {
  state
  [ -n "${ACCEL:-}" ] || die "no VMs are up (tern vm up)"
  local cpu=max mac="" n
  while [ $# -gt 0 ]; do
    case "$1" in
      --cpu) cpu=${2:?--cpu needs a qemu CPU model}; shift 2 ;;
      --mac) mac=${2:?--mac needs a MAC address}; shift 2 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  n=$(( $(wc -l < "$vm/nodes") + 1 ))
  [ -n "$mac" ] || mac=$(node_mac "$n")
  [[ "$mac" =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || die "--mac must look like 52:54:00:7e:01:09, got '$mac'"
  start_node "node$n" "$cpu" "$mac"
}

# A button on a VM, through qemu's monitor: power (ACPI, a clean shutdown) or reset (a hard one)
press() { # name monitor-command what
  local name=$1
  [ -n "$name" ] || die "which VM? (tern vm status lists them)"
  alive "$name" || die "$name is not running"
  # qemu prints its prompt again only once it has carried the command out: wait for that
  python3 - "$vm/$name.monitor" "$2" <<'PY' || die "$name's monitor did not take $2"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(sys.argv[1])
def prompted(seen=b""):
    while not seen.endswith(b"(qemu) "):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit("the monitor closed")
        seen += chunk
    return seen
prompted()
s.sendall(sys.argv[2].encode() + b"\n")
said = prompted().split(b"\n")[1:-1]  # what follows the command's echo, before the prompt
if said:
    sys.exit(b"\n".join(said).decode(errors="replace").strip())
PY
  log "$name: $3"
}

down() {
  local wipe=0 name pid
  [ "${1:-}" = --wipe ] && wipe=1
  [ -d "$vm" ] || { log "no VMs"; return 0; }
  for name in $(names); do
    pid=$(cat "$vm/$name.pid" 2>/dev/null) || continue
    # qemu's own pid file, so only the VMs started here are ended
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; log "$name: stopped (pid $pid)"; fi
    rm -f "$vm/$name.pid" "$vm/$name.monitor"
  done
  rm -f "$vm/state.env" "$vm/nodes" "$vm/client.json"
  [ "$wipe" = 1 ] && rm -f "$vm/gateway.img" "$vm/admin-token" && log "gateway: disk forgotten"
  return 0
}

status() {
  local json=0 name first=1
  [ "${1:-}" = --json ] && json=1
  state
  if [ "$json" = 1 ]; then
    printf '{"api": %s, "vms": [' "$( [ -n "${API_PORT:-}" ] && printf '"http://127.0.0.1:%s"' "$API_PORT" || echo null)"
    for name in $(names); do
      [ "$first" = 1 ] || printf ', '
      first=0
      printf '{"name": "%s", "running": %s}' "$name" "$(alive "$name" && echo true || echo false)"
    done
    printf ']}\n'
    return 0
  fi
  [ -n "${API_PORT:-}" ] && echo "API: http://127.0.0.1:$API_PORT (TERN_CONFIG=$vm/client.json)"
  for name in $(names); do
    printf '%-10s %s\n' "$name" "$(alive "$name" && echo "running, pid $(cat "$vm/$name.pid")" || echo stopped)"
  done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) up "$@" ;;
  node) node "$@" ;;
  power-button) press "${1:-}" system_powerdown "ACPI power button pressed" ;;
  reset) press "${1:-}" system_reset "reset button pressed" ;;
  down) down "$@" ;;
  status) status "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
