#!/bin/sh
# The gateway's root, after every package is installed: GRUB's menu, and the nodes' network
# boot in the TFTP root (pxelinux from this build, the node kernel from the node's build).
# The node build's output folder is $TERN_NODE_BUILD, by default "node" beside this build's.
set -eu

board_dir=$(dirname "$0")
node_build=${TERN_NODE_BUILD:-$BASE_DIR/../node}
tftp=$TARGET_DIR/srv/tern/tftp

if [ ! -f "$node_build/images/bzImage" ] || [ ! -f "$node_build/images/rootfs.tar" ]; then
	echo "post-build: no node build in $node_build (images/bzImage, images/rootfs.tar):" \
		"build tern_node_x86_64_defconfig there first, or set TERN_NODE_BUILD" >&2
	exit 1
fi

install -D -m 0644 "$board_dir/grub.cfg" "$TARGET_DIR/boot/grub/grub.cfg"
# GRUB's first stage, for genimage
cp -f "$TARGET_DIR/lib/grub/i386-pc/boot.img" "$BINARIES_DIR/"

install -D -m 0644 "$BINARIES_DIR/syslinux/pxelinux.0" "$tftp/pxelinux.0"
install -D -m 0644 "$BINARIES_DIR/syslinux/ldlinux.c32" "$tftp/ldlinux.c32"
install -D -m 0644 "$node_build/images/bzImage" "$tftp/tern-node/bzImage"
# The menu (node-image/appliance/pxelinux/default) names an initrd, and pxelinux stops when it
# finds none. This kernel has the network cards and the NFS root built in: an empty archive.
cpio -o -H newc --quiet < /dev/null > "$tftp/tern-node/initrd.img"
