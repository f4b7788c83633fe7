#!/usr/bin/env bash
# Installs what a Tern node, gateway and lab need on a Debian machine, idempotently:
# iproute2, tini, nftables support and CRIU >= 4.2 (from Debian's testing suite, pinned low,
# because Debian 12's CRIU fails on this kernel; see ../shared/PLATFORM.md), JDK and Maven; and
# what `tern test` needs besides (shellcheck, chromium and its driver).
set -euo pipefail

log() { printf 'tern-setup: %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { log "must run as root (installs packages, makes namespaces)"; exit 1; }

criu_ok() {
  command -v criu >/dev/null 2>&1 || return 1
  local v; v=$(criu --version 2>/dev/null | sed -n 's/^Version: *//p')
  [ -n "$v" ] || return 1
  # 4.2 or newer
  [ "$(printf '%s\n4.2\n' "$v" | sort -V | head -n1)" = "4.2" ]
}

need_pkgs=()
# `tern test` checks the repository's scripts with shellcheck; Buildroot's utils/check-package needs
# it too, with python3-magic and python3-flake8; genimage checks the gateway disk's layout (both run
# by buildroot-config/validate.sh); the admin page's browser tests drive Debian's chromium through its
# chromedriver (tests/.../WebAdminTest.java), so that no browser or driver is ever downloaded
for p in iproute2 tini util-linux procps python3 python3-magic python3-flake8 shellcheck genimage chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_pkgs+=("$p")
done
command -v java >/dev/null 2>&1 || need_pkgs+=(default-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_pkgs+=(maven)

apt_updated=0
apt_update() { [ "$apt_updated" = 1 ] || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2; apt_updated=1; }; }

if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" >&2
fi

# CRIU 4.2 links a newer libnftables than Debian 12 has, so the nft CLI (the gateway's NAT)
# comes from the same suite as CRIU.
testing=forky
if ! criu_ok || ! command -v nft >/dev/null 2>&1; then
  src=/etc/apt/sources.list.d/tern-testing.sources
  if [ ! -f "$src" ]; then
    # Same URIs and keyring as the machine's own Debian entry: never a host name of ours.
    base=/etc/apt/sources.list.d/debian.sources
    [ -f "$base" ] || { log "no $base to derive the Debian mirror from; add a deb822 Debian entry first"; exit 1; }
    uris=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$base")
    keyring=$(awk '/^Signed-By:/ {print $2; exit}' "$base")
    [ -n "$uris" ] || { log "could not read the Debian URIs from $base"; exit 1; }
    log "adding Debian $testing from $uris, pinned at priority 100"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n%s\n' \
      "$uris" "$testing" "${keyring:+Signed-By: $keyring}" > "$src"
    printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$testing" \
      > /etc/apt/preferences.d/tern-testing.pref
    apt_updated=0
  fi
  apt_update
  log "installing criu and nftables from $testing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t "$testing" criu nftables >&2
  criu_ok || { log "criu 4.2 or newer is still missing after install: $(criu --version 2>&1 | head -1)"; exit 1; }
fi
# Building the appliance's images (node-image/image/build.sh: mmdebstrap, squashfs, a partition table
# on a plain file) and booting them in virtual machines (vm.sh: qemu, its network boot ROMs). On a
# Debian 12 machine CRIU from the testing suite has upgraded libnl-3-200, which qemu's libnl-route-3-200
# must match: that one library then comes from the same suite (see ../shared/PLATFORM.md).
image_pkgs=()
for p in mmdebstrap squashfs-tools fdisk e2fsprogs qemu-system-x86 ipxe-qemu seabios curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || image_pkgs+=("$p")
done
if [ ${#image_pkgs[@]} -gt 0 ]; then
  log "installing ${image_pkgs[*]}"
  apt_update
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${image_pkgs[@]}" >&2; then
    log "retrying with libnl-route-3-200 from $testing, to match the libnl-3-200 that CRIU brought"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t "$testing" libnl-route-3-200 >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${image_pkgs[@]}" >&2
  fi
fi
log "ok: $(criu --version | head -1), tini $(tini --version 2>&1 | awk '{print $3}'), $(java -version 2>&1 | head -1)"
