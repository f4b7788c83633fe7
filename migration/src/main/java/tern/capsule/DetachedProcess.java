package tern.capsule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process that, once let go, is the system init's child, not the migrator's. The JDK watches each
 * child process with a thread of its own (a "process reaper", about 140 KiB resident), so a child that
 * lives as long as a job (a capsule's launcher) would cost the migrator a thread per job. It is started
 * in the background of a short-lived shell, which prints its PID and then waits on its stdin: end of
 * input (close) lets the shell go at once, leaving the process to init, which reaps it when it ends; a
 * line asks the shell to wait for the process and exit with its status (see {@link #exitStatus()}).
 * Its stdin, stdout and stderr are /dev/null. Like any background command of a non-interactive shell it
 * starts with SIGINT and SIGQUIT ignored: a capsule's job gets every signal reset (env --default-signal),
 * and tini, which blocks all signals and takes them with sigtimedwait, still passes them on.
 */
final class DetachedProcess implements AutoCloseable {
  private static final String SHELL = "\"$@\" </dev/null >>/dev/null 2>&1 & echo $!; read -r ended || exit 0; wait $!";
  private final Process shell;
  private final Writer toShell;
  private final long pid;

  private DetachedProcess(Process shell, long pid) {
    this.shell = shell;
    this.toShell = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
    this.pid = pid;
  }

  /** Starts the command in the background of the shell, which runs in the directory and environment that {@code pb} has. */
  static DetachedProcess start(ProcessBuilder pb, List<String> command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SHELL, "tern-detach"));
    argv.addAll(command);
    Process shell = pb.command(argv).redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String line = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    if (line == null || !line.trim().matches("[0-9]+")) {
      shell.destroyForcibly();
      throw new IOException("the shell that starts " + command.get(0) + " did not say its PID: " + line);
    }
    return new DetachedProcess(shell, Long.parseLong(line.trim()));
  }

  long pid() { return pid; }

  /** The exit status of the process, once it has ended (before {@link #close()}): the shell is still its parent. */
  int exitStatus() {
    try {
      toShell.write("ended\n");
      toShell.flush();
      if (!shell.waitFor(5, TimeUnit.SECONDS)) throw new IllegalStateException("process " + pid + " has not ended, or its shell does not say how");
      return shell.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot ask for the exit status of process " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the exit status of process " + pid, e);
    }
  }

  /** Lets the shell go; a process still running is then init's child. */
  @Override public void close() {
    try {
      toShell.close();
      if (!shell.waitFor(5, TimeUnit.SECONDS)) shell.destroyForcibly();
    } catch (IOException e) {
      shell.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shell.destroyForcibly();
    }
  }
}
