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

/**
 * The cgroups a capsule is placed in: with cgroup v1, cpu (the node's cap) and cpuacct (its CPU use);
 * with v2, the one cgroup at the same path (CgroupLayout).
 */
public final class Cgroups {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final CgroupLayout LAYOUT = CgroupLayout.of(ROOT);
  /** How long a killed capsule's processes may take to leave its cgroups. */
  private static final long EMPTIES_WITHIN_MS = 5000;

  private Cgroups() { }

  /** The job's cgroup in each hierarchy it is placed in. */
  public static List<Path> dirs(String path) { return LAYOUT.dirs(ROOT, path); }

  public static void create(String path) {
    for (Path d : dirs(path)) {
      try {
        Files.createDirectories(d);
      } catch (IOException e) {
        throw new IllegalStateException("cannot create cgroup " + d + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Removes the job's cgroups. They must be empty, and processes leave a cgroup a little after they
   * were killed, so this retries for a while; then it fails with what still holds them.
   */
  public static void remove(String path) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EMPTIES_WITHIN_MS);
    for (Path d : dirs(path)) {
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
    for (Path d : dirs(path)) enter.append("echo $$ > ").append(d.resolve("cgroup.procs")).append(" && ");
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", enter + "exec \"$@\"", "tern-cgroup"));
    argv.addAll(command);
    return argv;
  }

  public static List<Long> pids(String path) {
    Path procs = LAYOUT.accounting(ROOT, path).resolve("cgroup.procs");
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
      return LAYOUT.cpuNanos(Files.readString(LAYOUT.accounting(ROOT, path).resolve(LAYOUT.usageFile())));
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
