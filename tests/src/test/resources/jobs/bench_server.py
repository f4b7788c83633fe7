"""A service job for the forwarding benchmark. Each connection starts with one byte:
'D' the server sends data until the client goes away (throughput); 'E' it echoes (latency).

usage: bench_server.py PORT
"""
import socket
import sys
import threading

CHUNK = b"\x5a" * (256 * 1024)


def serve(conn):
    with conn:
        try:
            mode = conn.recv(1)
            if mode == b"D":
                while True:
                    conn.sendall(CHUNK)
            elif mode == b"E":
                while True:
                    data = conn.recv(65536)
                    if not data:
                        return
                    conn.sendall(data)
        except OSError:
            return  # the client went away


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", int(sys.argv[1])))
srv.listen(128)
while True:
    c, _ = srv.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=serve, args=(c,), daemon=True).start()
