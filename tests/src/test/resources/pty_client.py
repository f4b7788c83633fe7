# Runs a command on a new pseudo-terminal of ROWS x COLS, as if typed into a terminal: this
# process's stdin goes to the terminal's input (keys, raw), its output comes out on stdout.
# SIGUSR1 makes the window 10 rows and 20 columns bigger (as a user resizing it would).
# usage: pty_client.py ROWS COLS CMD [ARGS...]; exits with the command's status.
import errno, fcntl, os, pty, select, signal, struct, sys, termios

rows, cols, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.execv(argv[0], argv)


def grow(_signum, _frame):
    global rows, cols
    rows, cols = rows + 10, cols + 20
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


signal.signal(signal.SIGUSR1, grow)
stdin_open = True
while True:
    readable, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if 0 in readable:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
    if fd in readable:
        try:
            data = os.read(fd, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            data = b""
        if not data:
            break
        os.write(1, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
