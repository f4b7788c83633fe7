package tern.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The uid and gid a job runs as: the caller's, or the --user's; never root. */
record Submitter(int uid, int gid) {
  /** user: the --user given, or null for the caller. */
  static Submitter find(String user) {
    if (user != null) return account(user);
    int uid = fileOwner("uid");
    if (uid != 0) return new Submitter(uid, fileOwner("gid"));
    String sudoUid = System.getenv("SUDO_UID");
    if (sudoUid != null && !sudoUid.equals("0")) {
      return new Submitter(Integer.parseInt(sudoUid), Integer.parseInt(System.getenv().getOrDefault("SUDO_GID", sudoUid)));
    }
    System.err.println("tern: running as root; the job runs as nobody (use --user to choose)");
    return account("nobody");
  }

  /** A user's uid and primary gid: from /etc/passwd, else from id(1) (accounts from LDAP and the like). */
  static Submitter account(String user) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(user)) return new Submitter(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
      }
    } catch (IOException | NumberFormatException e) {
      // fall back to the name service
    }
    return new Submitter(idOf(user, "-u"), idOf(user, "-g"));
  }

  private static int fileOwner(String what) {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + what);
    } catch (IOException e) {
      throw new CliError(1, "cannot tell who is calling: " + e.getMessage());
    }
  }

  private static int idOf(String user, String flag) {
    try {
      Process p = new ProcessBuilder("id", flag, user).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) throw new CliError(2, "unknown user '" + user + "': " + out);
      return Integer.parseInt(out);
    } catch (IOException | NumberFormatException e) {
      throw new CliError(1, "cannot look up user " + user + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(130, "interrupted");
    }
  }
}
