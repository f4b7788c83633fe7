#!/bin/sh
# The gateway's disk image, images/tern-gateway-x86_64.img (genimage.cfg beside this script).
set -eu

board_dir=$(dirname "$0")
# Buildroot runs this script from its own top folder
exec support/scripts/genimage.sh -c "$board_dir/genimage.cfg"
