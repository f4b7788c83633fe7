"""A job holding a live TCP conversation: sends numbered lines to a peer and checks the peer's echoes.

usage: talker.py HOST PORT STOPFILE INTERVAL_S [BALLAST_MIB]
Sends "n\n" for n = 1, 2, ... one every INTERVAL_S, reading the echo of each line before the next,
until STOPFILE exists; then sends "done". Exits 0 when every echo came back in order, 3 on a
mismatch, 4 when the connection broke. BALLAST_MIB: that much random memory held, so that a dump
of the talker takes a while.
"""
import os
import socket
import sys
import time

host, port, stop, interval = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
ballast = bytearray(os.urandom(int(sys.argv[5]) << 20)) if len(sys.argv) > 5 else None
s = socket.create_connection((host, port), timeout=120)
f = s.makefile("rwb", buffering=0)
n = 0
while not os.path.exists(stop):
    n += 1
    try:
        s.sendall(b"%d\n" % n)
        line = f.readline()
    except OSError as e:
        print("connection broke at %d: %s" % (n, e), flush=True)
        sys.exit(4)
    if line != b"%d\n" % n:
        print("echo mismatch at %d: %r" % (n, line), flush=True)
        sys.exit(3)
    time.sleep(interval)
s.sendall(b"done\n")
print("talked %d lines" % n, flush=True)
