"""The demo's outside peer: echoes numbered lines from one talker job and logs its progress.

usage: peer.py HOST PORT
"""
import socket
import sys

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(1)
conn, addr = srv.accept()
print("peer: connection from %s:%d (the gateway's outside address)" % addr, flush=True)
f = conn.makefile("rwb", buffering=0)
expected = 1
while True:
    line = f.readline()
    if not line or line == b"done\n":
        print("peer: conversation ended after %d lines, every one in order" % (expected - 1), flush=True)
        break
    if line != b"%d\n" % expected:
        print("peer: ERROR expected %d, got %r" % (expected, line), flush=True)
        break
    conn.sendall(line)
    if expected % 50 == 0:
        print("peer: %d lines received in order, none lost or repeated" % expected, flush=True)
    expected += 1
