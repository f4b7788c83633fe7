#!/bin/sh
# Writes what the migrator needs to know of its node (tern-migrator.service reads it):
# tern-node-identity.sh FILE. The address and the gateway are what DHCP gave the interface that
# reaches the gateway (the kernel's, when it mounted the NFS root); the node's name comes from the
# gateway when it enrolls (by the MAC address of that interface).
set -eu
out=${1:?usage: tern-node-identity.sh FILE}

gateway=$(ip -4 route show default | awk '{print $3; exit}')
dev=$(ip -4 route show default | awk '{print $5; exit}')
if [ -z "$gateway" ] || [ -z "$dev" ]; then
  echo "tern-node-identity: no default route (did DHCP answer?)" >&2
  exit 1
fi
lan_ip=$(ip -4 -o addr show dev "$dev" | awk '{sub(/\/.*/, "", $4); print $4; exit}')
# what the link carries, as tc writes it; an interface that does not say (virtio) counts as 100 Mbit/s
speed=$(cat "/sys/class/net/$dev/speed" 2>/dev/null || echo -1)
[ "$speed" -gt 0 ] 2>/dev/null || speed=100

# a CPU that qemu emulates is much slower than the real one it stands for: the JVM gets more time
pace=
[ "$(systemd-detect-virt 2>/dev/null || true)" != qemu ] || pace=@/opt/tern/jvm/emulated.options

mkdir -p "$(dirname "$out")"
tmp=$out.$$
cat > "$tmp" <<EOT
TERN_LAN_IP=$lan_ip
TERN_GATEWAY=$gateway
TERN_CPU=$(nproc)
TERN_LINK=${speed}mbit
TERN_JVM_PACE=$pace
EOT
mv -f "$tmp" "$out"
