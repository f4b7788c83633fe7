package tern.capsule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The cgroup v1 hierarchies a capsule is placed in: cpu (the node's cap) and cpuacct (its CPU use). */
public final class Cgroups {
  public static final List<String> CONTROLLERS = List.of("cpu", "cpuacct");
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private Cgroups() { }

  public static Path dir(String controller, String path) { return ROOT.resolve(controller + path); }

  public static void create(String path) {
    for (String c : CONTROLLERS) {
      try {
        Files.createDirectories(dir(c, path));
      } catch (IOException e) {
        throw new IllegalStateException("cannot create cgroup " + c + ":" + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Removes the job's cgroups; they must be empty, which can take a moment after the last process exits. */
  public static void remove(String path) {
    for (String c : CONTROLLERS) {
      Path d = dir(c, path);
      for (int i = 0; i < 50 && Files.exists(d); i++) {
        try {
          Files.delete(d);
        } catch (IOException e) {
          sleep(100);
        }
      }
    }
  }

  /**
   * The argv that runs command inside the cgroup at path: a shell puts itself there, then execs the
   * command, so that everything the command forks starts inside.
   */
  public static List<String> execInside(String path, List<String> command) {
    StringBuilder enter = new StringBuilder();
    for (String c : CONTROLLERS) enter.append("echo $$ > ").append(dir(c, path).resolve("cgroup.procs")).append(" && ");
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", enter + "exec \"$@\"", "tern-cgroup"));
    argv.addAll(command);
    return argv;
  }

  public static List<Long> pids(String path) {
    Path procs = dir("cpuacct", path).resolve("cgroup.procs");
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(procs)) if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
    } catch (IOException e) {
      // the cgroup is gone: no processes
    }
    return pids;
  }

  /** CPU time used by everything in the cgroup, in nanoseconds. */
  public static long cpuNanos(String path) {
    try {
      return Long.parseLong(Files.readString(dir("cpuacct", path).resolve("cpuacct.usage")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static void sleep(long ms) {
    try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
  }
}
