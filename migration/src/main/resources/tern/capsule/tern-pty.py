# The pseudo-terminal of a `tern run -t` job: a relay between the capsule's stdin/stdout connections
# and the master side of a new terminal whose slave is the job's controlling terminal.
#
# Why not script(1): after a CRIU restore an interrupted poll() returns EINTR, which script treats
# as the end of the session. Python retries interrupted system calls (PEP 475), so this relay
# carries on after every migration.
#
# usage: tern-pty.py ROWS COLS CMD [ARGS...]; exits with the job's status (128+N for signal N).
# fd 7, when open, carries "winch ROWS COLS" lines: the client's window changed size.
import errno
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios

CONTROL = 7
rows, cols, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
try:
    os.fstat(CONTROL)
    control = CONTROL
except OSError:
    control = None
pid, master = pty.fork()
if pid == 0:
    if control is not None:
        os.close(control)
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("tern: %s: %s\r\n" % (argv[0], e.strerror)).encode())
        os._exit(127 if e.errno == errno.ENOENT else 126)


def to_foreground(signum, _frame):
    # a signal the user sent to the client goes where the terminal would send it
    try:
        os.killpg(os.tcgetpgrp(master), signum)
    except OSError:
        os.kill(pid, signum)


for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
    signal.signal(s, to_foreground)

def resize(lines):
    # the last size said is the one that counts; setting it sends SIGWINCH to the job's foreground
    for line in lines.decode("ascii", "replace").splitlines():
        f = line.split()
        if len(f) == 3 and f[0] == "winch" and f[1].isdigit() and f[2].isdigit():
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", int(f[1]), int(f[2]), 0, 0))


stdin_open = True
pending = b""
while True:
    watched = [master] + ([0] if stdin_open else []) + ([control] if control is not None else [])
    readable, _, _ = select.select(watched, [], [])
    if control is not None and control in readable:
        data = os.read(control, 4096)
        if not data:
            control = None
        else:
            pending += data
            complete, _, pending = pending.rpartition(b"\n")
            resize(complete)
    if 0 in readable:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            # the client's stdin ended: the terminal's end-of-file, as typed
            stdin_open = False
            os.write(master, termios.tcgetattr(master)[6][termios.VEOF])
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            data = b""
        if not data:
            break  # every holder of the terminal's slave side closed it
        view = memoryview(data)
        while view:
            view = view[os.write(1, view):]

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
