package tern.capsule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a machine lays out its cgroups. The lab's host mounts cgroup v1, a hierarchy per controller;
 * the appliance's nodes run systemd on the unified v2 tree (Buildroot's systemd 258 has no v1 left).
 * A job needs the same three things of either: a cgroup its processes enter, the list of them, and
 * their CPU time.
 */
enum CgroupLayout {
  /** cpu (the node's cap) and cpuacct (its CPU use), each its own hierarchy. */
  V1 {
    @Override List<Path> dirs(Path root, String path) {
      return List.of(root.resolve("cpu" + path), root.resolve("cpuacct" + path));
    }
    @Override Path accounting(Path root, String path) { return root.resolve("cpuacct" + path); }
    @Override String usageFile() { return "cpuacct.usage"; }
    @Override long cpuNanos(String usage) { return Long.parseLong(usage.trim()); }
  },
  /** One tree; every cgroup's cpu.stat counts its CPU time, with no controller to enable. */
  V2 {
    @Override List<Path> dirs(Path root, String path) { return List.of(root.resolve(path.substring(1))); }
    @Override Path accounting(Path root, String path) { return root.resolve(path.substring(1)); }
    @Override String usageFile() { return "cpu.stat"; }
    @Override long cpuNanos(String stat) {
      for (String line : stat.split("\n")) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals("usage_usec")) return Math.multiplyExact(Long.parseLong(kv[1]), 1000L);
      }
      throw new NumberFormatException("no usage_usec in cpu.stat: " + stat.strip());
    }
  };

  /** The job's cgroup path (absolute, "/tern/n1/j4") in each hierarchy it is placed in. */
  abstract List<Path> dirs(Path root, String path);

  /** The directory whose cgroup.procs lists the job's processes and whose usage file counts their time. */
  abstract Path accounting(Path root, String path);

  abstract String usageFile();

  /** The CPU time, in nanoseconds, that the usage file's text says. */
  abstract long cpuNanos(String usage);

  /** The layout mounted at root: v2 when root itself is a cgroup2 file system. */
  static CgroupLayout of(Path root) {
    try {
      return Files.getFileStore(root).type().equals("cgroup2") ? V2 : V1;
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell how cgroups are mounted at " + root + ": " + e.getMessage(), e);
    }
  }
}
