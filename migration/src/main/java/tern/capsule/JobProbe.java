package tern.capsule;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads what a running job is doing from /proc and its cgroup: alive, memory, local I/O, devices held. */
public final class JobProbe {
  private JobProbe() { }

  public static boolean alive(long pid) {
    try {
      String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
      return !status.contains("\nState:\tZ") && !status.contains("\nState:\tX");
    } catch (IOException e) {
      return false;
    }
  }

  /** The process's program name (its comm), or "exited" once it is gone. */
  public static String name(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
    } catch (IOException e) {
      return "exited";
    }
  }

  /** Resident memory of the whole tree, in bytes. */
  public static long rssBytes(List<Long> pids) {
    long total = 0;
    for (long pid : pids) total += statusKb(pid, "VmRSS:") * 1024;
    return total;
  }

  /** Anonymous resident memory: what a migration must move (file pages come from the shared filesystem). */
  public static long anonBytes(List<Long> pids) {
    long total = 0;
    for (long pid : pids) total += statusKb(pid, "RssAnon:") * 1024;
    return total;
  }

  /** Bytes read and written to storage by the tree so far (local file I/O). */
  public static long ioBytes(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
          if (line.startsWith("read_bytes:") || line.startsWith("write_bytes:")) {
            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      } catch (IOException | NumberFormatException e) {
        // exited meanwhile
      }
    }
    return total;
  }

  /**
   * CPU time the tree's threads used plus the time they waited, runnable, for a CPU (or for their
   * node's quota): over a second, the cores the job wanted, which on a crowded node is more than it got.
   */
  public static long cpuWantedNanos(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
        for (Path task : tasks) {
          try {
            String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
            total += Long.parseLong(f[0]) + Long.parseLong(f[1]);
          } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // thread gone meanwhile
          }
        }
      } catch (IOException e) {
        // exited meanwhile
      }
    }
    return total;
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    } catch (IOException | NumberFormatException e) {
      // exited meanwhile
    }
    return 0;
  }

  /** Character devices that every host has and that carry no local state. */
  private static final Set<Long> HARMLESS = Set.of(dev(1, 3), dev(1, 5), dev(1, 7), dev(1, 8), dev(1, 9));

  /** Open local devices that pin the job to this node, as "pid N holds PATH (major:minor)". */
  public static List<String> localDevices(List<Long> pids) {
    List<String> held = new ArrayList<>();
    for (long pid : pids) {
      Path fdDir = Path.of("/proc", Long.toString(pid), "fd");
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
        for (Path fd : fds) {
          try {
            Map<String, Object> a = Files.readAttributes(fd, "unix:mode,rdev");
            int type = ((Integer) a.get("mode")) & 0170000;
            if (type != 0020000 && type != 0060000) continue;
            long rdev = (Long) a.get("rdev");
            int major = (int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL));
            int minor = (int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL));
            if (type == 0020000 && (HARMLESS.contains(dev(major, minor)) || isTerminal(major))) continue;
            held.add("pid " + pid + " holds " + Files.readSymbolicLink(fd) + " (" + (type == 0020000 ? "char" : "block")
                + " device " + major + ":" + minor + ")");
          } catch (IOException | UnsupportedOperationException e) {
            // fd closed meanwhile
          }
        }
      } catch (IOException e) {
        // process exited meanwhile
      }
    }
    return held;
  }

  /** tty, console, ptmx and pseudo-terminals: the job's own terminal is not a local device. */
  private static boolean isTerminal(int major) {
    return major == 4 || major == 5 || (major >= 136 && major <= 143);
  }

  private static long dev(int major, int minor) { return ((long) major << 20) | minor; }
}
