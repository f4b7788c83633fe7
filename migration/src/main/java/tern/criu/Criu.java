package tern.criu;

import tern.capsule.Cgroups;
import tern.os.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CRIU, run inside the capsule's network namespace for both halves: the namespace itself is then
 * not dumped, and the restore lands the job in the acceptor's capsule with the same VIP. Established
 * TCP connections move with the job; the network stays locked (nftables) while the job is frozen.
 */
public final class Criu {
  private Criu() { }

  /**
   * What criu needs when it dumps as the job's user: everything root has on this kind of machine
   * except CAP_SYS_RESOURCE, which may be missing (a VM guest without it cannot read another
   * user's rlimits, so criu must be that user, and then needs these capabilities to do the rest).
   */
  private static final String DUMP_CAPS = "+chown,+dac_override,+dac_read_search,+fowner,+fsetid,+kill,+setgid,+setuid,"
      + "+setpcap,+net_admin,+net_raw,+sys_chroot,+sys_ptrace,+sys_admin,+sys_nice,+mknod,+setfcap,+checkpoint_restore,"
      + "+ipc_lock,+ipc_owner,+sys_rawio";

  /**
   * Freezes and dumps the tree rooted at initPid into dir; the tree is killed once the dump
   * succeeded. CRIU runs as the job's user (its unprivileged mode, with capabilities), so that it may
   * read the job's resource limits without CAP_SYS_RESOURCE.
   */
  public static void dump(String netns, long initPid, Path dir, long uid, long gid) {
    mkdirs(dir);
    Command.inNetns(netns, "setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
            "--inh-caps=" + DUMP_CAPS, "--ambient-caps=" + DUMP_CAPS,
            "criu", "dump", "--unprivileged", "-t", Long.toString(initPid), "-D", dir.toString(),
            "--tcp-established", "--network-lock", "nftables", "-v2", "-o", "dump.log")
        .failureLog(dir.resolve("dump.log")).run(600);
  }

  /**
   * Restores the tree from dir into the capsule, leaving every task stopped until the migration
   * commits, so that a job can never run in two places. Returns the host PID of the restored init.
   */
  public static long restoreStopped(String netns, Path dir, String cgroup) {
    Path pidFile = dir.resolve("restored.pid");  // absolute: criu takes a relative one as inside -D
    try {
      Files.deleteIfExists(pidFile);  // criu opens it O_EXCL
    } catch (IOException e) {
      throw new IllegalStateException("cannot clear " + pidFile + ": " + e.getMessage(), e);
    }
    // An unprivileged dump records no cgroups, so the restored tasks stay in criu's own: criu is
    // started from inside the job's cgroups on this node.
    List<String> argv = Cgroups.execInside(cgroup, List.of(
        "nsenter", "--net=/run/netns/" + netns, "--",
        "criu", "restore", "-D", dir.toString(), "-d", "--leave-stopped",
        "--tcp-established", "--pidfile", pidFile.toString(), "-v2", "-o", "restore.log"));
    Command.of(argv).failureLog(dir.resolve("restore.log")).run(600);
    try {
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("criu restore left no pid file at " + pidFile, e);
    }
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create image directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
