package tern.capsule;

import tern.util.Util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The cgroup v1 hierarchies a capsule is placed in: cpu (the node's cap) and cpuacct (its CPU use). */
public final class Cgroups {
  public static final List<String> CONTROLLERS = List.of("cpu", "cpuacct");
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  /** How long a killed capsule's processes may take to leave its cgroups. */
  private static final long EMPTIES_WITHIN_MS = 5000;

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

  /**
   * Removes the job's cgroups. They must be empty, and processes leave a cgroup a little after they
   * were killed, so this retries for a while; then it fails with what still holds them.
   */
  public static void remove(String path) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EMPTIES_WITHIN_MS);
    for (String c : CONTROLLERS) {
      Path d = dir(c, path);
      while (true) {
        try {
          Files.deleteIfExists(d);
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new IllegalStateException("cannot remove cgroup " + d + " (" + why + "): after "
                + EMPTIES_WITHIN_MS / 1000 + " s it still holds " + contents(d));
          }
          Util.sleep(100);
        }
      }
    }
  }

  /** Its processes (pid and name) and any cgroups below it: what keeps a cgroup from going. */
  private static String contents(Path cgroup) {
    List<String> found = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!line.isBlank()) found.add(line.trim() + " (" + JobProbe.name(Long.parseLong(line.trim())) + ")");
      }
      try (DirectoryStream<Path> below = Files.newDirectoryStream(cgroup, Files::isDirectory)) {
        for (Path child : below) found.add("cgroup " + child.getFileName());
      }
    } catch (IOException | RuntimeException e) {
      found.add("(unreadable: " + e.getMessage() + ")");
    }
    return found.isEmpty() ? "nothing that shows" : String.join(", ", found);
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
}
