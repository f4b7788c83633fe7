#!/usr/bin/env bash
# The appliance's images as `tern test` builds them: first a build cut short, as by Ctrl-C, while
# mmdebstrap is making the node root, then a whole build. What the first left must be no obstacle:
# the second ends with images whole (the VM tests boot them) and nothing half-made beside them.
# tests/images-interrupted.sh [SECONDS before the interrupt, default 40]. Run as root.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
after=${1:-40}
out=$root/out
build=$root/node-image/image/build.sh
log() { printf 'tern test: images: %s\n' "$*" >&2; }

[[ "$after" =~ ^[0-9]+$ ]] || { log "seconds must be a number, got '$after'"; exit 2; }
mkdir -p "$out"
# a session of its own, so that the interrupt reaches the build and everything it started, as a
# terminal's Ctrl-C reaches its foreground group, and nothing else
setsid "$build" all >"$out/interrupted-build.log" 2>&1 &
pid=$!
for _ in $(seq "$after"); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
  log "interrupting the build (pid $pid) after ${after} s: $(tail -n 1 "$out/interrupted-build.log")"
  kill -INT -- "-$pid"
fi
status=0
wait "$pid" || status=$?
[ "$status" -ne 0 ] || { log "the build ended before the interrupt: nothing was cut short (give fewer seconds)"; exit 1; }
log "the interrupted build ended with status $status; building again"
"$build" all
left=$(find "$out" -maxdepth 1 \( -name '.stage-*' -o -name '*.new' -o -name 'gateway.work' \) -print)
[ -z "$left" ] || { log "half-made files left beside the images: $left"; exit 1; }
log "whole images after an interrupted build, nothing half-made left"
