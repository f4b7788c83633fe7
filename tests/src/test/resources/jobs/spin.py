"""A CPU-bound job: spins until killed. With DEVICE it first opens that device and keeps it open
(a job that holds a local device).

usage: spin.py [DEVICE]
"""
import sys

held = open(sys.argv[1], "rb") if len(sys.argv) > 1 else None
x = 0
while True:
    x = (x * 31 + 7) % 1000003
