package tern.os;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external program (ip, nsenter, criu) to completion and fails loudly with its stderr. The
 * deadline really fires: the pipes are drained on threads of their own and this thread only waits, so
 * a program that hangs (or a child of it that holds the pipes open) cannot hang its caller.
 */
public final class Command {
  /** How long the pipes may take to close once the program was killed, before it is reported anyway. */
  private static final long DRAIN_AFTER_KILL_MS = 1000;
  private final List<String> argv;
  private Path logOnFailure;
  private String input;
  private Path directory;

  private Command(List<String> argv) { this.argv = List.copyOf(argv); }

  public static Command of(String... argv) { return new Command(List.of(argv)); }

  public static Command of(List<String> argv) { return new Command(argv); }

  /** Runs the command inside a network namespace without creating a new mount namespace (CRIU needs that). */
  public static Command inNetns(String netns, String... argv) {
    List<String> all = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns, "--"));
    all.addAll(List.of(argv));
    return new Command(all);
  }

  /** On failure, the tail of this log file goes into the error message (criu writes its reasons there). */
  public Command failureLog(Path log) { this.logOnFailure = log; return this; }

  /** Text for the program's stdin (ip -batch -), instead of /dev/null. */
  public Command input(String text) { this.input = text; return this; }

  /** The program's working directory, instead of this process's own. */
  public Command directory(Path dir) { this.directory = dir; return this; }

  public String run() { return run(120); }

  public String run(long timeoutSeconds) {
    Result r = runAllowingFailure(timeoutSeconds);
    if (r.exit != 0) {
      String why = r.stderr.isBlank() ? r.stdout : r.stderr;
      if (logOnFailure != null) why = why + "\n" + LogTail.of(logOnFailure, 12);
      throw new CommandFailedException(this + " exited " + r.exit + ": " + why.trim());
    }
    return r.stdout;
  }

  /** Runs the program and returns whatever it exited with; fails only when it cannot start or outlives the deadline. */
  public Result runAllowingFailure(long timeoutSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Process p = start();
    if (input != null) feed(p.getOutputStream(), input, this + " stdin");
    Drain stdout = new Drain(p.getInputStream(), this + " stdout");
    Drain stderr = new Drain(p.getErrorStream(), this + " stderr");
    try {
      boolean exited = p.waitFor(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      if (exited && stdout.awaitUntil(deadline) && stderr.awaitUntil(deadline)) {
        return new Result(p.exitValue(), stdout.text(), stderr.text());
      }
      ProcessTree.kill(p);
      String what = exited ? " exited " + p.exitValue() + " but its output stayed open (a process it started holds it)"
          : " did not finish";
      throw new CommandFailedException(this + what + " in " + timeoutSeconds + " s; killed" + stderrSoFar(stderr));
    } catch (InterruptedException e) {
      ProcessTree.kill(p);
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted while running " + this + "; killed it");
    }
  }

  private Process start() {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (directory != null) pb.directory(directory.toFile());
    try {
      return pb.start();
    } catch (IOException e) {
      throw new CommandFailedException("cannot run " + argv.get(0) + ": " + e.getMessage());
    }
  }

  /** What the killed program had said on stderr, which often names what it was stuck on. */
  private static String stderrSoFar(Drain stderr) throws InterruptedException {
    stderr.awaitUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_KILL_MS));
    String text = stderr.text().trim();
    return text.isEmpty() ? "" : ": " + text;
  }

  private static long remainingNanos(long deadline) { return Math.max(0, deadline - System.nanoTime()); }

  @Override public String toString() { return String.join(" ", argv); }

  public record Result(int exit, String stdout, String stderr) { }

  /** Writes the program's stdin on a daemon thread: a program that does not read it cannot block the caller. */
  private static void feed(OutputStream to, String text, String name) {
    daemon(name, () -> {
      try (to) {
        to.write(text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the program stopped reading (it exited): its exit status tells why
      }
    });
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);  // a pipe held open by a stray process must not keep the JVM alive
    t.start();
    return t;
  }

  /** One of the program's output pipes, read to its end by a thread of its own. */
  private static final class Drain {
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;

    Drain(InputStream from, String name) { thread = daemon(name, () -> readAll(from)); }

    private void readAll(InputStream from) {
      try (from) {
        byte[] buf = new byte[8192];
        for (int n; (n = from.read(buf)) > 0; ) append(new String(buf, 0, n, StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the program is gone: what it wrote so far is what there is
      }
    }

    private synchronized void append(String chunk) { text.append(chunk); }

    /** Waits until the pipe is closed or the deadline passes; true if it closed. */
    boolean awaitUntil(long deadline) throws InterruptedException {
      long ms = TimeUnit.NANOSECONDS.toMillis(remainingNanos(deadline));
      if (ms > 0) thread.join(ms);
      return !thread.isAlive();
    }

    synchronized String text() { return text.toString(); }
  }
}
