#!/usr/bin/env python3
"""interleaved-timer.py N 'CMD A' 'CMD B' ...: runs the commands in turn, N rounds after two warm-ups
each, and prints for each the median and the least wall time and CPU time (user + sys of the
child, counted in the kernel's 10 ms ticks). Interleaved, so that a machine's changing load falls on all alike."""
import os
import shlex
import statistics
import subprocess
import sys
import time


def once(cmd):
    before, start = os.times(), time.perf_counter()
    subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall * 1000, cpu * 1000


def main():
    rounds, cmds = int(sys.argv[1]), sys.argv[2:]
    wall = {c: [] for c in cmds}
    cpu = {c: [] for c in cmds}
    for c in cmds:
        once(c)
        once(c)
    for _ in range(rounds):
        for c in cmds:
            w, u = once(c)
            wall[c].append(w)
            cpu[c].append(u)
    for c in cmds:
        print(f"wall median {statistics.median(wall[c]):6.0f} ms min {min(wall[c]):5.0f} | "
              f"cpu median {statistics.median(cpu[c]):6.0f} ms min {min(cpu[c]):5.0f} (n={rounds}): {c}")


if __name__ == "__main__":
    main()
