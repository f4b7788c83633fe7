"""Multithreaded middle stage of a pipeline job: 4 worker threads hash lines; output keeps input order."""
import hashlib
import queue
import sys
import threading

work = queue.Queue(maxsize=64)
results = {}
done = threading.Condition()


def worker():
    while True:
        item = work.get()
        if item is None:
            return
        seq, line = item
        digest = hashlib.sha256(line).hexdigest()
        with done:
            results[seq] = digest
            done.notify_all()


threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
nxt = 0
seq = 0
for line in sys.stdin.buffer:
    work.put((seq, line))
    seq += 1
    with done:
        while nxt in results:
            sys.stdout.write(results.pop(nxt) + "\n")
            nxt += 1
for _ in threads:
    work.put(None)
for t in threads:
    t.join()
while nxt < seq:
    sys.stdout.write(results.pop(nxt) + "\n")
    nxt += 1
sys.stdout.flush()
