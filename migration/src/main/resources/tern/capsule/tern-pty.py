# The pseudo-terminal of a `tern run -t` job: a relay between the capsule's stdin/stdout connections
# and the master side of a new terminal whose slave is the job's controlling terminal.
#
# Why not script(1): after a CRIU restore an interrupted poll() returns EINTR, which script treats
# as the end of the session. Python retries interrupted system calls (PEP 475), so this relay
# carries on after every migration.
#
# usage: tern-pty.py ROWS COLS CMD [ARGS...]; exits with the job's status (128+N for signal N).
import errno
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios

rows, cols, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, master = pty.fork()
if pid == 0:
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

stdin_open = True
while True:
    readable, _, _ = select.select([master] + ([0] if stdin_open else []), [], [])
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
