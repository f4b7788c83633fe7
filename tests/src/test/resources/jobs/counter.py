"""A CPU-bound job whose state is a counter: it writes the counter to a file now and then.

usage: counter.py FILE
The file holds "<start-token> <counter>"; the token is chosen at start, so a restart shows.
"""
import os
import sys

path = sys.argv[1]
token = os.urandom(4).hex()
n = 0
while True:
    n += 1
    if n % 20000 == 0:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%s %d\n" % (token, n))
        os.replace(tmp, path)
