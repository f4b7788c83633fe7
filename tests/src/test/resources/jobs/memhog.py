"""A job holding MIB mebibytes of dirtied anonymous memory, then idling (for the freeze-time benchmark).

usage: memhog.py MIB random|text READYFILE
random: incompressible bytes; text: repetitive text-like data, as a typical heap holds.
"""
import os
import random
import sys
import time

mib, kind, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
size = mib << 20
if kind == "random":
    data = bytearray(os.urandom(size))
else:
    rng = random.Random(7)
    words = [b"customer", b"order", b"invoice", b"status", b"pending", b"shipped", b"name", b"address",
             b"total", b"item", b"price", b"quantity", b"id", b"created", b"updated", b"null", b"true", b"false"]
    chunk = bytearray()
    while len(chunk) < (1 << 20):
        chunk += b'{"%s": "%s", "%s": %d},\n' % (rng.choice(words), rng.choice(words), rng.choice(words), rng.randrange(100000))
    chunk = chunk[: 1 << 20]
    data = bytearray(size)
    for off in range(0, size, 1 << 20):
        data[off:off + (1 << 20)] = chunk
        # vary each MiB a little so that it is not one page repeated
        data[off:off + 16] = b"%016d" % off
with open(ready, "w") as f:
    f.write("ready\n")
while True:
    time.sleep(1)
