"""First stage of a pipeline job: deterministic text lines, produced slowly enough to migrate mid-way.

usage: gen.py LINES
"""
import sys
import time

for i in range(int(sys.argv[1])):
    sys.stdout.write("line %06d %s\n" % (i, "abcdefghij"[i % 10] * (i % 50)))
    if i % 100 == 0:
        sys.stdout.flush()
        time.sleep(0.05)
