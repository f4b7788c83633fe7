"""A CPU-bound job of a fixed amount of work: UNITS loops of arithmetic, then it prints the wall
time it took (seconds). Counting work, not CPU time, keeps it right across migrations (a restored
process's CPU clock starts again).

usage: burn.py UNITS
"""
import sys
import time

units = int(sys.argv[1])
t0 = time.time()
x = 0
for _ in range(units):
    for i in range(100000):
        x = (x * 31 + i) % 1000003
print("%.3f" % (time.time() - t0), flush=True)
