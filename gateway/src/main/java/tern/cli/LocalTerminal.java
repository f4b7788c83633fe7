package tern.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The user's terminal during `tern run -t`: its size goes to the job's pseudo-terminal, and it is put
 * in raw mode so that every key (Ctrl-C included) reaches the job's terminal, which echoes and
 * signals as a local one would. Java has no termios, so stty on /dev/tty does it.
 */
final class LocalTerminal {
  private final String saved;
  private final int rows, cols;

  private LocalTerminal(String saved, int rows, int cols) {
    this.saved = saved;
    this.rows = rows;
    this.cols = cols;
  }

  static LocalTerminal open() {
    if (System.console() == null) throw new CliError(2, "run -t: stdin and stdout must be a terminal (drop -t for pipes and files)");
    int[] size = readSize();
    return new LocalTerminal(stty("-g").trim(), size == null ? 24 : size[0], size == null ? 80 : size[1]);
  }

  /** The terminal's size now (rows, columns), or null when it does not say. */
  int[] size() {
    try {
      return readSize();
    } catch (CliError e) {
      return null;
    }
  }

  private static int[] readSize() {
    String[] size = stty("size").trim().split("\\s+");
    if (size.length != 2 || size[0].equals("0")) return null;
    try {
      return new int[] {Integer.parseInt(size[0]), Integer.parseInt(size[1])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  int rows() { return rows; }

  int cols() { return cols; }

  void raw() {
    stty("raw", "-echo");
    Runtime.getRuntime().addShutdownHook(new Thread(this::restore, "terminal"));
  }

  void restore() {
    try {
      stty(saved);
    } catch (CliError e) {
      // the terminal is gone: nothing to restore
    }
  }

  private static String stty(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "stty";
    System.arraycopy(args, 0, argv, 1, args.length);
    try {
      Process p = new ProcessBuilder(argv).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) throw new CliError(1, "stty " + String.join(" ", args) + " failed on /dev/tty");
      return out;
    } catch (IOException e) {
      throw new CliError(1, "cannot run stty on /dev/tty: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(1, "interrupted while setting up the terminal");
    }
  }
}
