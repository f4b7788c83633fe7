#!/bin/sh
# The node root inside the gateway's root (/srv/tern/node-root, exported over NFS), unpacked
# under fakeroot so that its files keep the owners and modes the node build gave them.
set -eu

target_dir=$1
node_build=${TERN_NODE_BUILD:-$BASE_DIR/../node}

rm -rf "$target_dir/srv/tern/node-root"
mkdir -p "$target_dir/srv/tern/node-root"
tar -xpf "$node_build/images/rootfs.tar" -C "$target_dir/srv/tern/node-root"
