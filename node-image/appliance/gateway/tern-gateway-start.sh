#!/bin/sh
# Starts the gateway service with the appliance's configuration (tern-gateway.service runs it).
# The outside address comes from DHCP and may change across boots, so it is read here, at each
# start, rather than written into the configuration. A setting missing from an older configuration
# (the retention limits, TERN_KEEP_*) leaves the gateway's own default.
set -eu
conf=/var/lib/tern/gateway.env
# shellcheck disable=SC1090
. "$conf"
# a gateway.env from before admission existed lacks these two: the safe values
: "${TERN_ENROLL_PORT:=7072}" "${TERN_ACCEPT_NODES:=manual}"
for var in TERN_OUTSIDE_IF TERN_LAN_IP TERN_VIP_POOL TERN_API_PORT TERN_PUBLIC_PORTS; do
  eval "[ -n \"\${$var:-}\" ]" || { echo "tern-gateway: $var is not set in $conf" >&2; exit 1; }
done

outside_ip() { ip -4 -o addr show dev "$TERN_OUTSIDE_IF" 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}'; }
# systemd restarts the service when this gives up: the outside port may be unplugged for a while
i=0
until ip=$(outside_ip) && [ -n "$ip" ]; do
  i=$((i + 1))
  [ "$i" -le 60 ] || { echo "tern-gateway: $TERN_OUTSIDE_IF has no IPv4 address after 60 s" >&2; exit 1; }
  sleep 1
done
# the cluster binds to the LAN address, which systemd-networkd sets a little after boot
i=0
until ip -4 -o addr show 2>/dev/null | grep -qF " $TERN_LAN_IP/"; do
  i=$((i + 1))
  [ "$i" -le 60 ] || { echo "tern-gateway: no interface has the LAN address $TERN_LAN_IP after 60 s" >&2; exit 1; }
  sleep 1
done

jvm=/opt/tern/jvm
# a CPU that qemu emulates is much slower than the real one it stands for: the JVM gets more time
set --
[ "$(systemd-detect-virt 2>/dev/null || true)" != qemu ] || set -- @"$jvm/emulated.options"
exec java @"$jvm/common.options" @"$jvm/gateway.options" "$@" -XX:SharedArchiveFile="$jvm/services.jsa" \
  @"$jvm/classpath" tern.service.GatewayMain \
  --lan-ip "$TERN_LAN_IP" --outside-ip "$ip" --outside-if "$TERN_OUTSIDE_IF" --api-port "$TERN_API_PORT" \
  --vip-pool "$TERN_VIP_POOL" --public-ports "$TERN_PUBLIC_PORTS" \
  --secret-file /var/lib/tern/secrets/cluster-secret --admin-token-file /var/lib/tern/secrets/admin-token \
  --state-dir /var/lib/tern/gateway --enroll-port "$TERN_ENROLL_PORT" --accept-nodes "$TERN_ACCEPT_NODES" \
  ${TERN_KEEP_ENDED:+--keep-ended "$TERN_KEEP_ENDED"} ${TERN_KEEP_ENDED_JOBS:+--keep-ended-jobs "$TERN_KEEP_ENDED_JOBS"} \
  ${TERN_KEEP_OUTPUT:+--keep-output "$TERN_KEEP_OUTPUT"}
