#!/bin/sh
# Makes what the gateway keeps on its data partition (mounted on /var/lib/tern) the first time it
# boots: the cluster secret, the admin token and the configuration. Later boots find them and
# change nothing. Each boot ends by printing on the console how to reach the API and the admin page.
set -eu
data=/var/lib/tern
secrets=$data/secrets
defaults=/opt/tern/etc/gateway.env

mountpoint -q "$data" || { echo "tern-firstboot: $data is not mounted: the data partition (label tern-data) is missing" >&2; exit 1; }

# A secret is written whole or not at all: an interrupted first boot is redone at the next one.
make_secret() { # file bytes
  [ -s "$1" ] && return 0
  head -c "$2" /dev/urandom | od -An -tx1 | tr -d ' \n' > "$1.new"
  chmod 600 "$1.new"
  mv -f "$1.new" "$1"
}
umask 077
mkdir -p "$secrets" "$data/gateway" "$data/jobs"
chmod 700 "$secrets"
# jobs' output, exported to the nodes (../nfs/exports), where each job's user writes its own file
chmod 1777 "$data/jobs"
make_secret "$secrets/cluster-secret" 32
make_secret "$secrets/admin-token" 24
[ -s "$data/gateway.env" ] || cp "$defaults" "$data/gateway.env"

# shellcheck disable=SC1091
. "$data/gateway.env"
ip=$(ip -4 -o addr show dev "$TERN_OUTSIDE_IF" 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}')
{
  echo
  echo "Tern gateway: API and admin page at http://${ip:-<address of $TERN_OUTSIDE_IF>}:$TERN_API_PORT/"
  echo "Tern gateway: admin token $(cat "$secrets/admin-token") (also in $secrets/admin-token)"
  echo
} > /dev/console
