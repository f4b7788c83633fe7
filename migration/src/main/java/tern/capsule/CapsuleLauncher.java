package tern.capsule;

import tern.cluster.Pace;
import tern.os.Command;
import tern.protocol.JobSpec;
import tern.util.Util;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a job inside its capsule: the job's cgroups, the capsule's network namespace (entered with
 * nsenter, never `ip netns exec`, whose private mount namespace CRIU cannot dump), a PID namespace
 * whose init is tini (so PIDs cannot collide on the acceptor), the session leader inside that
 * namespace, and the submitter's uid, working directory and environment.
 */
public final class CapsuleLauncher {
  private CapsuleLauncher() { }

  /** Returns the host PID of the capsule's init (tini): the root of the tree CRIU dumps. */
  public static long start(Capsule capsule, JobSpec job) {
    CapsuleNames n = capsule.names();
    List<String> argv = new ArrayList<>();
    // The capsule's init (tini) runs as the user, with CAP_SYS_ADMIN alone: CRIU's parasite in a PID
    // namespace's init mounts a proc for that namespace. The job under it runs as the user with no
    // capability. Its output is opened by the job itself, so that nothing outside the dumped tree
    // writes to the file (CRIU refuses to restore a file whose size changed).
    String uid = Long.toString(job.uid()), gid = Long.toString(job.gid());
    argv.addAll(List.of("setsid", "nsenter", "--net=/run/netns/" + n.netns(), "--",
        "unshare", "--pid", "--fork",
        "setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--inh-caps=+sys_admin", "--ambient-caps=+sys_admin",
        "setsid", "tini", "-s", "-g", "--",
        "setpriv", "--inh-caps=-all", "--ambient-caps=-all",
        // signals ignored by whoever started the migrator (a background shell ignores SIGINT) are
        // not the job's business: it starts with every signal at its default, as from a terminal
        "env", "--default-signal"));
    if (job.stdio() == null) {
      // the job's exit status goes to a file, since after a restore on another node nobody is its parent
      argv.addAll(List.of("/bin/sh", "-c", "cd \"$0\" || exit 126; out=$1; st=$2; shift 2; \"$@\" >>\"$out\" 2>&1 </dev/null; "
          + "rc=$?; echo $rc > \"$st\"; exit $rc", job.cwd(), job.output(), job.statusFile()));
    } else {
      // Interactive: stdin, stdout, stderr and the exit status are TCP connections from the capsule (its
      // VIP) to the gateway, so they move with the job. The shell stays to report the status; it keeps
      // a handler (not an ignore) for the signals the user sends, which the job itself gets as usual.
      argv.addAll(List.of("/bin/bash", "-c", "cd \"$0\" || exit 126; id=$1; t=$2; h=$3; p=$4; st=$5; tty=$6; shift 6; "
          + "exec 3<>/dev/tcp/$h/$p && printf '%s %s stdin\\n' $id $t >&3 "
          + "&& exec 4<>/dev/tcp/$h/$p && printf '%s %s stdout\\n' $id $t >&4 "
          + "&& exec 5<>/dev/tcp/$h/$p && printf '%s %s stderr\\n' $id $t >&5 "
          + "&& exec 6<>/dev/tcp/$h/$p && printf '%s %s status\\n' $id $t >&6 || exit 125; "
          // with a terminal, its relay also reads the status connection (fd 7): the client's window size
          + "trap : INT TERM HUP QUIT; if [ \"$tty\" = tty ]; then \"$@\" <&3 >&4 2>&5 3<&- 4>&- 5>&- 7<&6 6>&-; "
          + "else \"$@\" <&3 >&4 2>&5 3<&- 4>&- 5>&- 6>&-; fi; rc=$?; "
          + "echo $rc > \"$st\"; printf '%s\\n' $rc >&6; exit $rc",
          job.cwd(), job.id(), job.stdio().token(), job.stdio().host(), Integer.toString(job.stdio().port()), job.statusFile(),
          job.stdio().terminal() == null ? "-" : "tty"));
    }
    JobSpec.Terminal tty = job.stdio() == null ? null : job.stdio().terminal();
    if (tty != null) {
      // the relay holds the pseudo-terminal's master inside the capsule, so the terminal moves with the job
      argv.addAll(List.of("/usr/bin/python3", "-I", "-S", ptyRelay(job).toString(), Integer.toString(tty.rows()), Integer.toString(tty.cols())));
    }
    argv.addAll(job.argv());
    ProcessBuilder pb = new ProcessBuilder();
    outputFile(job);
    // The init's working directory is where CRIU mounts its temporary proc: root's, on every node.
    pb.directory(initDir(job).toFile());
    pb.environment().clear();
    pb.environment().putAll(job.env());
    if (!new File(job.cwd()).isDirectory()) throw new IllegalArgumentException("working directory " + job.cwd() + " does not exist on " + n.node());
    // the job's cgroups are entered before the capsule's first process exists; the launcher (unshare,
    // which waits for the init) is let go once the init runs, so that the migrator holds no thread for it
    try (DetachedProcess launcher = DetachedProcess.start(pb, Cgroups.execInside(n.cgroup(), argv))) {
      return waitForInit(launcher, job);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the capsule for " + job.argv().get(0) + ": " + e.getMessage(), e);
    }
  }

  /** The pseudo-terminal relay, next to the job's other files on the shared filesystem. */
  private static Path ptyRelay(JobSpec job) {
    Path relay = initDir(job).resolve("tern-pty.py");
    try (var in = CapsuleLauncher.class.getResourceAsStream("tern-pty.py")) {
      if (in == null) throw new IllegalStateException("tern-pty.py is missing from the migrator's jar");
      Files.write(relay, in.readAllBytes());
      return relay;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + relay + ": " + e.getMessage(), e);
    }
  }

  public static Path initDir(JobSpec job) {
    Path dir = Path.of(job.output()).resolveSibling(job.id() + ".init");
    try {
      Files.createDirectories(dir);
      chown(dir, job);
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The JDK takes an int for a uid and hands its 32 bits to chown(2) as they are: ids above 2^31 come out right. */
  private static void chown(Path file, JobSpec job) throws IOException {
    Files.setAttribute(file, "unix:uid", (int) job.uid());
    Files.setAttribute(file, "unix:gid", (int) job.gid());
  }

  /** The detached job's output file, owned by the job's user, in a world-writable sticky directory. */
  private static void outputFile(JobSpec job) {
    Path out = Path.of(job.output());
    try {
      Path dir = out.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Command.of("chmod", "1777", dir.toString()).run();
      }
      // a job id is reused when a new cluster starts: nothing of an older job may show through
      Files.deleteIfExists(Path.of(job.statusFile()));
      Files.write(out, new byte[0]);
      chown(out, job);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the job's output file " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * unshare --fork's child becomes tini after a few execs; wait until it has. A job that is over
   * before that (exit 7) has still run: it left its status, and its init pid is reported as 0.
   */
  private static long waitForInit(DetachedProcess launcher, JobSpec job) {
    long unsharePid = launcher.pid();
    Path children = Path.of("/proc", Long.toString(unsharePid), "task", Long.toString(unsharePid), "children");
    long deadline = System.currentTimeMillis() + 10_000L * Pace.factor();
    while (System.currentTimeMillis() < deadline) {
      try {
        String text = Files.readString(children).trim();
        if (!text.isEmpty()) {
          long child = Long.parseLong(text.split("\\s+")[0]);
          String comm = Files.readString(Path.of("/proc", Long.toString(child), "comm")).trim();
          if (comm.equals("tini")) return child;
        }
      } catch (IOException | NumberFormatException e) {
        // the launcher or its child changed under us: looked at again below and on the next round
      }
      // an ended launcher stays a zombie until its shell is asked for its status
      if (!JobProbe.alive(unsharePid)) {
        if (job.exitStatus() != null) return 0;
        throw new IllegalStateException("the capsule's launcher exited with status " + launcher.exitStatus()
            + " before the job started (check the command, the user and the working directory)");
      }
      Util.sleep(5);
      if (Thread.currentThread().isInterrupted()) break;
    }
    throw new IllegalStateException("the capsule's init did not start within 10 s");
  }
}
