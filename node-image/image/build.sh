#!/usr/bin/env bash
# tern image [node|gateway|all] [--out DIR]: builds the appliance from Debian stable's packages.
#   node     the nodes' shared root (DIR/node-root/, what the gateway exports over NFS) and the
#            kernel and initrd they boot over the network (DIR/tftp/tern-node/)
#   gateway  the gateway's whole-disk image, DIR/tern-gateway-x86_64.img, with the node root inside
#            (builds the node root first when it is missing or older than the project's jars)
#   all      both (the default)
# Everything comes from the Debian mirror this machine's apt already uses, one suite, and the
# project's own build; no loop device, no mount. Each result is made beside its old copy and
# renamed over it at the end, so a build that is interrupted leaves the previous one, and running it
# again builds it whole. Run as root (mmdebstrap, files owned by root in the images).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/../.." && pwd)
appliance=$root/node-image/appliance
# what only the Debian-built images need (the appliance/ files are shared with Buildroot's)
own=$here/files
jvm=$root/node-image/jvm
suite=trixie
out=$root/out
what=all

log() { printf 'tern image: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case "$1" in
    node|gateway|all) what=$1; shift ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap makes root-owned trees)"
for tool in mmdebstrap mksquashfs mke2fs sfdisk; do
  command -v "$tool" >/dev/null || die "$tool is missing: run node-image/install-deps.sh"
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
# what an interrupted build left
rm -rf "$out"/.stage-*

# The mirror apt already uses (deb822 or one-line sources), never a host name of ours
mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "cannot tell which Debian mirror apt uses (no URIs in /etc/apt/sources.list.d/debian.sources or sources.list)"
  echo "$uri"
}

jars() {
  shopt -s nullglob
  local g=("$root"/gateway/target/tern-gateway-*.jar) m=("$root"/migration/target/tern-migration-*.jar)
  if [ ${#g[@]} -eq 0 ] || [ ${#m[@]} -eq 0 ]; then
    log "building the project's jars (mvn package)"
    (cd "$root" && mvn -B -ntp -q -DskipTests package)
  fi
}

# Files every Tern service needs: its JVM's options and environment, and the class-data archive's maker
stage_jvm() { # tree
  install -d "$1/opt/tern/jvm"
  install -m 0644 "$jvm/common.options" "$jvm/gateway.options" "$jvm/migrator.options" "$jvm/emulated.options" \
    "$jvm/environment" "$1/opt/tern/jvm/"
  install -m 0755 "$jvm/class-archive.sh" "$1/opt/tern/jvm/"
  install -D -m 0755 "$here/setup-in-root.sh" "$1/opt/tern/sbin/tern-image-setup"
}

stage_node() { # tree
  local t=$1
  stage_jvm "$t"
  install -d "$t/opt/tern/lib"
  install -m 0644 "$root"/migration/target/tern-migration-*.jar "$root"/migration/target/lib/*.jar "$t/opt/tern/lib/"
  install -D -m 0755 "$appliance/node/tern-node-identity.sh" "$t/opt/tern/sbin/tern-node-identity.sh"
  install -D -m 0644 -t "$t/usr/lib/systemd/system" "$appliance/systemd/tern-migrator.service" "$appliance/systemd/tern-node-identity.service" \
    "$appliance/systemd/var-tmp-tern\x2djobs.mount"
  install -D -m 0644 -t "$t/usr/lib/systemd/system-preset" "$appliance/systemd/50-tern-node.preset"
  install -D -m 0644 "$appliance/network/50-tern-node.conf" "$t/etc/sysctl.d/50-tern-node.conf"
  install -D -m 0644 "$own/node/fstab" "$t/etc/fstab"
  install -D -m 0644 "$own/node/initramfs.conf" "$t/etc/initramfs-tools/conf.d/tern"
  install -D -m 0755 "$own/node/initramfs-identity" "$t/etc/initramfs-tools/scripts/init-bottom/tern-identity"
  install -d "$t/var/tmp/tern-jobs"
}

stage_gateway() { # tree
  local t=$1
  stage_jvm "$t"
  install -d "$t/opt/tern/lib"
  install -m 0644 "$root"/gateway/target/tern-gateway-*.jar "$root"/gateway/target/lib/*.jar "$t/opt/tern/lib/"
  install -D -m 0755 -t "$t/opt/tern/sbin" "$appliance/gateway/tern-firstboot.sh" "$appliance/gateway/tern-gateway-start.sh"
  install -D -m 0644 "$appliance/gateway/gateway.env" "$t/opt/tern/etc/gateway.env"
  install -D -m 0644 -t "$t/usr/lib/systemd/system" "$appliance/systemd/tern-gateway.service" \
    "$appliance/systemd/tern-firstboot.service" "$appliance/systemd/var-lib-tern.mount"
  install -D -m 0644 -t "$t/usr/lib/systemd/system-preset" "$appliance/systemd/50-tern-gateway.preset"
  install -D -m 0644 "$own/gateway/fstab" "$t/etc/fstab"
  install -D -m 0644 "$appliance/gateway/tmpfiles.conf" "$t/usr/lib/tmpfiles.d/tern-gateway.conf"
  install -D -m 0644 "$own/gateway/initramfs.conf" "$t/etc/initramfs-tools/conf.d/tern"
  install -D -m 0644 "$appliance/systemd/needs-data.conf" "$t/etc/systemd/system/dnsmasq.service.d/tern.conf"
  install -D -m 0644 "$appliance/systemd/needs-data.conf" "$t/etc/systemd/system/nfs-server.service.d/tern.conf"
  install -D -m 0644 "$appliance/firewall/gateway.nft" "$t/etc/nftables.conf"
  install -D -m 0644 "$appliance/dnsmasq/tern-lan.conf" "$t/etc/dnsmasq.d/tern-lan.conf"
  install -D -m 0644 "$appliance/nfs/exports" "$t/etc/exports"
  install -D -m 0644 -t "$t/etc/systemd/network" "$appliance/network/10-outside.network" "$appliance/network/20-lan.network"
  install -D -m 0644 "$appliance/network/50-tern-gateway.conf" "$t/etc/sysctl.d/50-tern-gateway.conf"
  install -D -m 0644 "$appliance/pxelinux/default" "$t/srv/tern/tftp/pxelinux.cfg/default"
  install -D -m 0644 "$out/tftp/tern-node/bzImage" "$t/srv/tern/tftp/tern-node/bzImage"
  install -D -m 0644 "$out/tftp/tern-node/initrd.img" "$t/srv/tern/tftp/tern-node/initrd.img"
  install -d "$t/var/tmp" "$t/srv/tern/node-root"
}

# mmdebstrap ROLE PACKAGES TARGET [extra mmdebstrap arguments]: a root of this suite with the Tern
# files of ROLE in it, finished inside by setup-in-root.sh
debstrap() {
  local role=$1 packages=$2 target=$3 stage
  shift 3
  stage=$(mktemp -d "$out/.stage-$role.XXXXXX")
  case "$role" in
    node) stage_node "$stage" ;;
    gateway) stage_gateway "$stage" ;;
  esac
  # shellcheck disable=SC2016 # "$1" is the root, for mmdebstrap's hook to expand
  mmdebstrap --variant=minbase --include="$packages" --aptopt='APT::Install-Recommends "false"' \
    --customize-hook="sync-in $stage /" \
    --customize-hook='chroot "$1" /opt/tern/sbin/tern-image-setup '"$role" \
    "$@" "$suite" "$target" "$(mirror)" >"$out/$role-mmdebstrap.log" 2>&1 \
    || { rm -rf "$stage"; die "mmdebstrap of the $role root failed: see $out/$role-mmdebstrap.log ($(tail -n 3 "$out/$role-mmdebstrap.log" | tr '\n' ' '))"; }
  rm -rf "$stage"
  # mmdebstrap leaves the tree's top private; it is "/" of the machines that boot it
  chmod 0755 "$target"
}

size_of() { du -sh --apparent-size "$1" | cut -f1; }

build_node() {
  jars
  local t0=$SECONDS new=$out/node-root.new
  rm -rf "$new" "$out/tftp.new"
  log "node root: mmdebstrap $suite into $new"
  # dbus: logind (systemd's) handles the power button, and it needs the system bus
  debstrap node systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,busybox,openjdk-21-jre-headless,criu,nftables,tini,python3,iproute2,procps,kmod,nfs-common "$new"
  local kernel
  kernel=$(printf '%s\n' "$new"/boot/vmlinuz-* | sort -V | tail -n1)
  install -D -m 0644 "$kernel" "$out/tftp.new/tern-node/bzImage"
  install -D -m 0644 "$new/boot/initrd.img-${kernel##*/vmlinuz-}" "$out/tftp.new/tern-node/initrd.img"
  rm -rf "$out/node-root" "$out/tftp"
  mv "$new" "$out/node-root"
  mv "$out/tftp.new" "$out/tftp"
  # when it was finished, for node_is_current (a renamed folder keeps the time mmdebstrap last wrote in it)
  touch "$out/node-root"
  log "node root: $out/node-root, $(size_of "$out/node-root"); kernel and initrd $(size_of "$out/tftp"); built in $((SECONDS - t0)) s"
}

node_is_current() {
  [ -d "$out/node-root" ] && [ -s "$out/tftp/tern-node/initrd.img" ] || return 1
  # what goes into it; a clean clone (CI) builds it anyway
  [ -z "$(find "$root"/migration/target/tern-migration-*.jar "$root/migration/target/lib" "$appliance/node" "$appliance/systemd" \
    "$appliance/network" "$jvm" "$own/node" "$here/setup-in-root.sh" "$here/build.sh" -newer "$out/node-root" -print -quit 2>/dev/null)" ]
}

build_gateway() {
  jars
  node_is_current || build_node
  local t0=$SECONDS work=$out/gateway.work
  rm -rf "$work"
  mkdir -p "$work"
  log "gateway root: mmdebstrap $suite into $work/root"
  # shellcheck disable=SC2016 # "$1" is the root, for mmdebstrap's hook to expand
  debstrap gateway systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,openjdk-21-jre-headless,nftables,dnsmasq,nfs-kernel-server,pxelinux,syslinux-common,grub-pc-bin,iproute2,procps,kmod,e2fsprogs \
    "$work/root" --customize-hook="sync-in $out/node-root /srv/tern/node-root" \
    --customize-hook="copy-out /tmp/grub-core.img /tmp/grub-boot.img $work" \
    --customize-hook='rm -f "$1"/tmp/grub-core.img "$1"/tmp/grub-boot.img "$1"/tmp/grub-early.cfg'
  # gzip: GRUB reads the kernel from it (its squash4 reads gzip, xz and lzo) and xz takes minutes more
  log "gateway root: squashfs"
  mksquashfs "$work/root" "$work/root.squashfs" -comp gzip -noappend -quiet -no-progress >/dev/null
  log "gateway data partition: ext4, label tern-data"
  mkdir -p "$work/data"
  mke2fs -q -t ext4 -L tern-data -d "$work/data" -E root_owner=0:0 "$work/data.ext4" 1G

  # MBR (disk signature 7465726e, so the kernel finds its root as PARTUUID=7465726e-01), GRUB's
  # core in the gap before 1 MiB, then the root and the data partitions, each on a MiB boundary
  local mib=1048576 core_max root_mib data_mib img=$work/tern-gateway-x86_64.img
  core_max=$(( mib - 512 ))
  [ "$(stat -c %s "$work/grub-core.img")" -le "$core_max" ] || die "GRUB's core image does not fit before the first partition"
  root_mib=$(( ($(stat -c %s "$work/root.squashfs") + mib - 1) / mib ))
  data_mib=$(( $(stat -c %s "$work/data.ext4") / mib ))
  truncate -s $(( (1 + root_mib + data_mib) * mib )) "$img"
  printf 'label: dos\nlabel-id: 0x7465726e\nstart=1MiB, size=%dMiB, type=83, bootable\nsize=%dMiB, type=83\n' \
    "$root_mib" "$data_mib" | sfdisk -q "$img"
  dd if="$work/grub-boot.img" of="$img" bs=440 count=1 conv=notrunc status=none
  dd if="$work/grub-core.img" of="$img" bs=512 seek=1 conv=notrunc status=none
  dd if="$work/root.squashfs" of="$img" bs=1M seek=1 conv=notrunc status=none
  dd if="$work/data.ext4" of="$img" bs=1M seek=$(( 1 + root_mib )) conv=notrunc,sparse status=none
  mv -f "$img" "$out/tern-gateway-x86_64.img"
  log "gateway image: $out/tern-gateway-x86_64.img, $(size_of "$out/tern-gateway-x86_64.img") (root ${root_mib} MiB squashfs, data ${data_mib} MiB); built in $((SECONDS - t0)) s"
  rm -rf "$work"
}

main() {
  case "$what" in
    node) build_node ;;
    gateway) build_gateway ;;
    all) build_node; build_gateway ;;
  esac
}
# on one line, so that bash has read all of it before it runs: a build takes minutes, and an edited
# script would otherwise go on from the middle of its new text
main; exit
