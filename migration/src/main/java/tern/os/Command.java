package tern.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one external program (ip, nsenter, criu) to completion and fails loudly with its stderr. */
public final class Command {
  private final List<String> argv;
  private Path logOnFailure;
  private String input;

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

  public String run() { return run(120); }

  public String run(long timeoutSeconds) {
    Result r = runAllowingFailure(timeoutSeconds);
    if (r.exit != 0) {
      String why = r.stderr.isBlank() ? r.stdout : r.stderr;
      if (logOnFailure != null) why = why + "\n" + LogTail.of(logOnFailure, 12);
      throw new CommandFailedException(String.join(" ", argv) + " exited " + r.exit + ": " + why.trim());
    }
    return r.stdout;
  }

  public Result runAllowingFailure(long timeoutSeconds) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      if (input != null) {
        try (var in = p.getOutputStream()) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      var out = p.getInputStream();
      var err = p.getErrorStream();
      // stderr is drained on its own thread so a chatty program cannot block on a full pipe.
      StringBuilder errText = new StringBuilder();
      Thread t = new Thread(() -> {
        try { errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8)); } catch (IOException ignored) { }
      });
      t.start();
      String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CommandFailedException(String.join(" ", argv) + " did not finish in " + timeoutSeconds + " s");
      }
      t.join();
      return new Result(p.exitValue(), stdout, errText.toString());
    } catch (IOException e) {
      throw new CommandFailedException("cannot run " + argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted while running " + String.join(" ", argv));
    }
  }

  public record Result(int exit, String stdout, String stderr) { }
}
