#!/usr/bin/env bash
# Validates this Buildroot external tree without the internet:
#   validate.sh [--work DIR] [DEFCONFIG_FILE...]
# Unpacks Buildroot 2026.02.3 into DIR (default tests/target/buildroot), from the shared download
# cache (../shared/buildroot/, or $TERN_BUILDROOT_TARBALL) or, where there is none, from the tag's
# archive on Buildroot's GitHub mirror (the same `git archive`, checked by its SHA-256), then checks
# each defconfig (default: the tree's configs/*_defconfig) and the packages. Prints one line per
# check, "ok" or "FAIL" with the reason and the log to read, and exits 1 when any check failed.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/.." && pwd)
work=$root/tests/target/buildroot
defconfigs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=${2:?--work needs a folder}; shift 2 ;;
    -*) echo "usage: validate.sh [--work DIR] [DEFCONFIG_FILE...]" >&2; exit 2 ;;
    *) defconfigs+=("$(readlink -f "$1")"); shift ;;
  esac
done
[ ${#defconfigs[@]} -gt 0 ] || defconfigs=("$here"/configs/*_defconfig)

br_version=2026.02.3
# the cache's file (xz) and the tar inside it: the GitHub archive is gzip, the tar is the same
br_tar_xz_sha256=bec7bcdaa4f16cb117960ca40451f07a147f38d91318fed99bbd2e15244f161e
br_tar_sha256=8132c92f5b5c5e8de71ac3f95dbfb79d451e675d912f537cc3b7347d535a7383
# the shared folder beside the project's clone (beside its main clone, for a git worktree)
br_cache=${TERN_BUILDROOT_TARBALL:-$root/../shared/buildroot/buildroot-$br_version.tar.xz}
if [ ! -f "$br_cache" ] && common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  [ -f "${common%/.git}/../shared/buildroot/buildroot-$br_version.tar.xz" ] \
    && br_cache=${common%/.git}/../shared/buildroot/buildroot-$br_version.tar.xz
fi
br_mirror_url=https://github.com/buildroot/buildroot/archive/refs/tags/$br_version.tar.gz
# what `make show-info` must list, with a version, for each image
declare -A expected_packages=(
  [tern_gateway_x86_64]="tern-gateway openjdk nftables dnsmasq nfs-utils"
  [tern_node_x86_64]="tern-criu tern-migrator openjdk nftables"
)

ok() { printf 'ok   %s: %s\n' "$1" "$2"; }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; }
die() { echo "validate.sh: $*" >&2; exit 1; }

# Debian's python3, whatever python3 comes first in PATH: it has python3-magic (the README's set-up)
python=/usr/bin/python3

unpack_buildroot() {
  local dir=$work/buildroot-$br_version
  [ -f "$dir/.tern-unpacked" ] && return 0
  rm -rf "$dir"
  mkdir -p "$work"
  local tar_sha
  if [ -f "$br_cache" ]; then
    [ "$(sha256sum < "$br_cache" | cut -d' ' -f1)" = "$br_tar_xz_sha256" ] \
      || die "$br_cache is not Buildroot $br_version's archive (SHA-256 differs)"
    xz -dc "$br_cache" > "$work/buildroot.tar"
  else
    echo "validate.sh: no $br_cache, fetching $br_mirror_url" >&2
    curl -fsSL "$br_mirror_url" | gzip -dc > "$work/buildroot.tar" \
      || die "could not fetch $br_mirror_url (set TERN_BUILDROOT_TARBALL to a copy of buildroot-$br_version.tar.xz)"
  fi
  tar_sha=$(sha256sum < "$work/buildroot.tar" | cut -d' ' -f1)
  [ "$tar_sha" = "$br_tar_sha256" ] || die "Buildroot $br_version's tar has SHA-256 $tar_sha, expected $br_tar_sha256"
  tar -xf "$work/buildroot.tar" -C "$work"
  rm -f "$work/buildroot.tar"
  touch "$dir/.tern-unpacked"
}

br_make() { # out_dir log args...
  local out=$1 log=$2; shift 2
  make -C "$work/buildroot-$br_version" O="$out" BR2_EXTERNAL="$here" "$@" >"$log" 2>&1
}

check_defconfig() {
  local defconfig=$1 name; name=$(basename "$1" _defconfig)
  local out=$work/out/$name logs=$work/logs log=$work/logs/$name-defconfig.log load
  mkdir -p "$out" "$logs"
  rm -f "$out/.config"
  # the tree's own by name, as a builder loads them; any other (a test's variant) by its path
  if [ "$defconfig" = "$here/configs/${name}_defconfig" ]; then load=("${name}_defconfig"); else load=(defconfig BR2_DEFCONFIG="$defconfig"); fi
  if ! br_make "$out" "$log" "${load[@]}"; then
    fail "defconfig-loads[$name]" "make ${name}_defconfig failed, see $log"
    return
  fi
  if grep -qi 'warning' "$log"; then
    fail "defconfig-loads[$name]" "$(grep -i -m3 'warning' "$log" | tr '\n' ' ')(see $log)"
  else
    ok "defconfig-loads[$name]" "no warning"
  fi

  local lost
  if lost=$("$python" "$work/buildroot-$br_version/support/scripts/check-dotconfig.py" "$out/.config" "$defconfig" 2>&1); then
    ok "every-line-survives[$name]" "check-dotconfig.py found every line of the defconfig in .config"
  else
    fail "every-line-survives[$name]" "dropped from .config: $(echo "$lost" | tr '\n' ' ')"
  fi

  if grep -q '^BR2_LEGACY=y' "$out/.config"; then
    fail "not-legacy[$name]" "BR2_LEGACY is set: an option of Config.in.legacy is on in $out/.config"
  else
    ok "not-legacy[$name]" "BR2_LEGACY is not set"
  fi

  local saved=$out/saved_defconfig
  if ! br_make "$out" "$logs/$name-savedefconfig.log" savedefconfig BR2_DEFCONFIG="$saved"; then
    fail "savedefconfig-reproduces[$name]" "make savedefconfig failed, see $logs/$name-savedefconfig.log"
  elif diff -u "$defconfig" "$saved" > "$logs/$name-savedefconfig.diff"; then
    ok "savedefconfig-reproduces[$name]" "make savedefconfig wrote the defconfig back unchanged"
  else
    fail "savedefconfig-reproduces[$name]" "$(tail -n +3 "$logs/$name-savedefconfig.diff" | grep '^[-+]' | tr '\n' ' ')"
  fi

  local info=$work/$name-show-info.json
  if ! make -s -C "$work/buildroot-$br_version" O="$out" BR2_EXTERNAL="$here" show-info >"$info" 2>"$logs/$name-show-info.log"; then
    fail "show-info-lists[$name]" "make show-info failed, see $logs/$name-show-info.log"
    return
  fi
  local listed
  # shellcheck disable=SC2086 # the list is words
  if listed=$("$python" - "$info" ${expected_packages[$name]:-} <<'EOF'
import json, sys
info = json.load(open(sys.argv[1]))
missing = [p for p in sys.argv[2:] if not info.get(p, {}).get("version")]
if missing:
    print("missing or without a version: " + " ".join(missing))
    sys.exit(1)
print(", ".join(p + " " + info[p]["version"] for p in sys.argv[2:])
      + "; %d packages in all" % len(info))
EOF
  ); then
    ok "show-info-lists[$name]" "$listed"
  else
    fail "show-info-lists[$name]" "$listed (see $info)"
  fi
  check_hashes "$name" "$info"
}

# BR2_DOWNLOAD_FORCE_CHECK_HASHES is on: a download that no hash file names stops the build, on
# the builder's machine, hours in. Local packages (the Maven build's output) are not hashed.
check_hashes() { # name show-info.json
  local unhashed
  if unhashed=$("$python" - "$2" "$work/buildroot-$br_version" <<'EOF'
import json, os, sys
info = json.load(open(sys.argv[1]))
def named(source, hash_files):
    for f in hash_files:
        try:
            # show-info names Buildroot's own hash files from its top folder, the tree's by their path
            if any(line.split()[2:3] == [source] for line in open(os.path.join(sys.argv[2], f))):
                return True
        except FileNotFoundError:
            pass
    return False
downloads = [(p, dl) for p in info.values() for dl in p.get("downloads", [])
             if not dl["uris"][0].startswith("local+")]
unhashed = [p["name"] + ": " + dl["source"] for p, dl in downloads if not named(dl["source"], p.get("hashes", []))]
print(" ".join(unhashed) if unhashed else "%d packages' downloads, each named in a hash file" % len(downloads))
sys.exit(1 if unhashed else 0)
EOF
  ); then
    ok "downloads-hashed[$1]" "$unhashed"
  else
    fail "downloads-hashed[$1]" "no hash for $unhashed"
  fi
}

# The gateway's disk as genimage lays it out, from stand-ins for the boot loader and the root: the
# MBR's disk signature is the PARTUUID that GRUB's menu boots, partition 1 holds the root and
# partition 2 the ext4 data partition whose label the shared mount unit mounts.
check_disk_layout() {
  local dir=$work/genimage cfg=$here/board/tern/gateway/genimage.cfg log=$work/logs/genimage.log
  rm -rf "$dir" && mkdir -p "$dir"/{in,out,tmp,root}
  head -c 512 /dev/urandom > "$dir/in/boot.img"
  head -c 65536 /dev/urandom > "$dir/in/grub.img"
  head -c 3000000 /dev/urandom > "$dir/in/rootfs.squashfs"
  if ! genimage --config "$cfg" --inputpath "$dir/in" --outputpath "$dir/out" --tmppath "$dir/tmp" \
      --rootpath "$dir/root" >"$log" 2>&1; then
    fail gateway-disk-layout "genimage failed on $cfg: $(grep -m2 ERROR "$log" | tr '\n' ' ')(see $log)"
    return
  fi
  local verdict
  if verdict=$("$python" - "$dir" "$here/board/tern/gateway/grub.cfg" "$root/node-image/appliance/systemd/var-lib-tern.mount" <<'EOF'
import re, struct, sys
d, grub_cfg, mount_unit = sys.argv[1:4]
img = open(d + "/out/tern-gateway-x86_64.img", "rb")
mbr = img.read(512)
parts = [struct.unpack("<II", mbr[446 + 16 * i + 8:446 + 16 * i + 16]) for i in range(4) if mbr[446 + 16 * i + 4]]
problems = []
booted = re.search(r"root=PARTUUID=([0-9a-f]{8})-01\b", open(grub_cfg).read())
signature = "%08x" % struct.unpack("<I", mbr[440:444])[0]
if not booted or booted.group(1) != signature:
    problems.append("GRUB boots root=PARTUUID=%s-01 but the disk's signature is %s"
                    % (booted.group(1) if booted else "?", signature))
if len(parts) != 2:
    problems.append("%d partitions in the MBR, not 2 (root, data)" % len(parts))
else:
    root_stand_in = open(d + "/in/rootfs.squashfs", "rb").read(4096)
    img.seek(parts[0][0] * 512)
    if img.read(4096) != root_stand_in:
        problems.append("partition 1 does not hold the root filesystem")
    img.seek(parts[1][0] * 512 + 1024 + 120)
    label = img.read(16).rstrip(b"\0").decode()
    wanted = re.search(r"^What=/dev/disk/by-label/(\S+)", open(mount_unit).read(), re.M).group(1)
    if label != wanted:
        problems.append("partition 2's label is '%s', the mount unit mounts '%s'" % (label, wanted))
    if parts[1][0] * 512 % 2**20:
        problems.append("partition 2 does not start on a MiB")
print("; ".join(problems) if problems else
      "disk %s: partition 1 the root (booted by GRUB as PARTUUID=%s-01), partition 2 ext4 '%s' at %d MiB"
      % (signature, signature, label, parts[1][0] * 512 // 2**20))
sys.exit(1 if problems else 0)
EOF
  ); then
    ok gateway-disk-layout "$verdict"
  else
    fail gateway-disk-layout "$verdict"
  fi
}

# utils/check-package on every file of the tree (what `make check-package-external` does on the
# committed ones) and on the shared appliance files it installs (their scripts go through shellcheck)
check_package() {
  local log=$work/logs/check-package.log files
  mapfile -t files < <(find "$here" "$root/node-image/appliance" -type f -not -name '*.md' | sort)
  if (cd "$work/buildroot-$br_version" && "$python" utils/check-package --br2-external "${files[@]}") >"$log" 2>&1 \
      && ! grep -q '^[1-9][0-9]* warnings generated' "$log"; then
    ok check-package "$(tail -n 1 "$log"), no warning"
  else
    fail check-package "$(grep -v 'lines processed' "$log" | head -n 5 | tr '\n' ' ')(see $log)"
  fi
}

# Each file the appliance shares with the Debian-built images lives once, in node-image/appliance/,
# and both builds install it from there: the tree's packages (external.mk names the folder) and the
# Debian build (node-image/image/build.sh, whose own files are in node-image/image/files/). Neither
# holds a copy of it.
check_shared_files() {
  local f rel copies="" unused="" undebian=""
  while IFS= read -r f; do
    rel=${f#"$root/node-image/appliance/"}
    # by its path, or a unit by its name in a package's list (external.mk: TERN_INSTALL_UNITS)
    case $rel in
      systemd/*) grep -rqwF --include='*.mk' -e "${rel#systemd/}" "$here/package" ;;
      *) grep -rqF -e "\$(TERN_APPLIANCE_DIR)/$rel" "$here" ;;
    esac || unused+=" $rel"
    grep -qF -e "\"\$appliance/$rel\"" "$root/node-image/image/build.sh" || undebian+=" $rel"
    while IFS= read -r c; do
      cmp -s "$f" "$c" && copies+=" ${c#"$root/"}=$rel"
    done < <(find "$here" "$root/node-image/image" -type f)
  done < <(find "$root/node-image/appliance" -type f -not -name README.md | sort)
  if [ -n "$copies" ]; then
    fail shared-files-once "copies:$copies"
  elif [ -n "$unused$undebian" ]; then
    fail shared-files-once "${unused:+not installed by the Buildroot tree:$unused}${unused:+${undebian:+; }}${undebian:+not installed by node-image/image/build.sh:$undebian}"
  else
    ok shared-files-once "every file of node-image/appliance/ is installed from there by both builds, none is copied"
  fi
}

unpack_buildroot
mkdir -p "$work/logs"
# the two configurations side by side: make show-info takes a minute or more each
for d in "${defconfigs[@]}"; do check_defconfig "$d" > "$work/logs/$(basename "$d" _defconfig).results" & done
check_package > "$work/logs/package.results"
check_shared_files >> "$work/logs/package.results"
check_disk_layout >> "$work/logs/package.results"
wait
results=()
for d in "${defconfigs[@]}"; do results+=("$work/logs/$(basename "$d" _defconfig).results"); done
results+=("$work/logs/package.results")
cat "${results[@]}"
! grep -q '^FAIL' "${results[@]}"
