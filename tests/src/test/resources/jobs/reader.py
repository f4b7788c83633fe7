"""A CPU-bound job that also reads a local file from storage at RATE MiB/s (O_DIRECT, so that
every read reaches the disk and counts as the job's local file I/O, not the page cache's).

usage: reader.py FILE RATE_MIB
"""
import mmap
import os
import sys
import time

path, rate = sys.argv[1], float(sys.argv[2])
size = 32 << 20
if not os.path.exists(path) or os.path.getsize(path) < size:
    with open(path, "wb") as f:
        f.write(os.urandom(size))
        f.flush()
        os.fsync(f.fileno())
fd = os.open(path, os.O_RDONLY | os.O_DIRECT)
chunk = int(rate * (1 << 20) / 10) // 4096 * 4096  # ten reads a second, page-aligned as O_DIRECT wants
buf = mmap.mmap(-1, chunk)
offset = 0
next_read = time.time()
x = 0
while True:
    if time.time() >= next_read:
        if offset + chunk > size:
            offset = 0
        os.preadv(fd, [buf], offset)
        offset += chunk
        next_read += 0.1
    x = (x * 31 + 7) % 1000003  # burn CPU between reads
