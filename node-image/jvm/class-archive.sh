#!/usr/bin/env bash
# Makes the services' class-data archive: class-archive.sh CLASSPATH ARCHIVE
# Runs tern.cluster.ServiceClassArchive (a cluster of one on the loopback address, using what the
# gateway and the migrators use of Hazelcast and Vert.x) with the services' own JVM options, in a
# network namespace of its own so that it can neither meet nor disturb a real cluster, and keeps the
# archive only when the run succeeded. The lab runs it after each build (tests/lab/lab.sh), a real
# machine's image once with the jars of /opt/tern/lib in name order (the units' class path,
# /opt/tern/jvm/classpath: an archive serves only the class path it was made with).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: class-archive.sh CLASSPATH ARCHIVE" >&2; exit 2; }
cp=$1 archive=$2
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
tmp=$archive.$$
trap 'rm -f "$tmp"' EXIT
unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh \
  java @"$here/common.options" -XX:ArchiveClassesAtExit="$tmp" -cp "$cp" tern.cluster.ServiceClassArchive
[ -s "$tmp" ] || { echo "class-archive.sh: the JVM wrote no archive to $tmp" >&2; exit 1; }
mv -f "$tmp" "$archive"
