package tern.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** `tern run` without --detach behaves like running the command locally, also while the job migrates. */
@ExtendWith({Lab.class, KillStartedJobs.class})
// a job that stops talking must fail its test, not hang the run (a blocked read cannot be interrupted)
@org.junit.jupiter.api.Timeout(value = 180, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class InteractiveJobTest {

  /**
   * The client, with SIGINT at its default disposition: a test runner started in the background
   * inherits SIGINT ignored, and a JVM cannot catch a signal it was started with ignored.
   */
  static ProcessBuilder client(Path cwd, String... command) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", "-c",
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
        Lab.ROOT.resolve("tern").toString(), "run", "--user", "nobody"));
    argv.addAll(List.of(command));
    return new ProcessBuilder(argv).directory(cwd.toFile());
  }

  @Test
  void binaryDataThroughCatComesBackIdentical() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(3).nextBytes(data);
    Process p = client(Lab.workDir("cat"), "--", "cat").start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = p.getInputStream()) {
        return in.readAllBytes();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try (OutputStream o = p.getOutputStream()) {
      o.write(data);
    }
    assertArrayEquals(data, out.get(120, TimeUnit.SECONDS));
    assertEquals(0, p.waitFor());
  }

  @Test
  void exitStatusIsTheJobsAndStderrIsSeparate() throws Exception {
    Path dir = Lab.workDir("exit7");
    Path err = dir.resolve("client.err");
    Process p = client(dir, "--", "sh", "-c", "echo out; echo err >&2; exit 7").redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertEquals("out\n", new String(p.getInputStream().readAllBytes()));
    assertEquals(7, p.waitFor());
    assertTrue(Files.readString(err).contains("err\n"), Files.readString(err));
  }

  @Test
  void sigintOnTheClientEndsTheJobWithStatus130() throws Exception {
    Process p = client(Lab.workDir("int"), "--", "sleep", "1000").start();
    waitUntil(() -> Lab.jobs().values().stream()
        .anyMatch(j -> j.getJsonArray("argv").contains("1000") && "running".equals(j.getString("state"))), 30, () -> "job did not start");
    Lab.sleep(500);
    Lab.run(List.of("kill", "-INT", Long.toString(p.pid())), null, 10);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "client did not end after SIGINT");
    assertEquals(130, p.exitValue());
  }

  @Test
  void stdioEndpointRefusesAClientWithoutTheJobsToken() throws Exception {
    Process p = client(Lab.workDir("tok"), "--", "sleep", "1000").start();
    waitUntil(() -> Lab.jobs().values().stream()
        .anyMatch(j -> "running".equals(j.getString("state")) && j.getJsonArray("argv").contains("1000")), 30, () -> "job did not start");
    String id = Lab.jobs().values().stream()
        .filter(j -> "running".equals(j.getString("state")) && j.getJsonArray("argv").contains("1000")).findFirst().orElseThrow()
        .getString("id");
    try (java.net.Socket s = new java.net.Socket("10.77.0.2", 7071)) {
      s.getOutputStream().write((id + " 00000000000000000000000000000000\n").getBytes());
      assertEquals("refused", new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine());
    }
    p.destroy();  // SIGTERM: the client passes it on and ends with the job's status
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue());
  }

  @Test
  void interactiveJobKeepsItsStdioWhileMigrating() throws Exception {
    Path dir = Lab.workDir("imig");
    // the job echoes each line it reads, numbered by its own counter: a restart would show
    Process p = client(dir, "--node", "n1", "--", "/bin/sh", "-c", "n=0; while read l; do n=$((n+1)); echo \"$n $l\"; done").start();
    OutputStream toJob = p.getOutputStream();
    var fromJob = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String id = null;
    for (int i = 1; i <= 6; i++) {
      toJob.write(("line" + i + "\n").getBytes());
      toJob.flush();
      assertEquals(i + " line" + i, fromJob.readLine());
      if (id == null) {
        id = Lab.jobs().values().stream()
            .filter(j -> "running".equals(j.getString("state")) && j.getJsonArray("argv").encode().contains("while read"))
            .findFirst().orElseThrow().getString("id");
      }
      if (i < 6) assertEquals("committed", Lab.migrate(id, i % 2 == 1 ? "n2" : "n1").getString("state"));
    }
    toJob.close();
    assertEquals(null, fromJob.readLine());
    assertEquals(0, p.waitFor());
    assertEquals(5, Lab.job(id).getInteger("migrations"));
  }

  @Test
  void terminalJobGetsTheClientsSizeKeepsItsTerminalWhileMigratingAndCtrlCInterruptsIt() throws Exception {
    Path dir = Lab.workDir("tty");
    List<String> argv = new ArrayList<>(List.of("/usr/bin/python3",
        Lab.ROOT.resolve("tests/src/test/resources/pty_client.py").toString(), "33", "101",
        Lab.ROOT.resolve("tern").toString(), "run", "-t", "--user", "nobody", "--node", "n1", "--",
        "bash", "-c", "trap 'stty size' WINCH; stty size; [ -t 0 ] && [ -t 1 ] && echo TTY-OK; tput cols; echo READY; "
            // should a read be cut short by the window's change, it goes on reading
            + "n=0; while :; do read -r l; rc=$?; [ $rc -gt 128 ] && continue; [ $rc -ne 0 ] && break; n=$((n+1)); echo \"$n $l\"; done"));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("TERM", "xterm");
    Process p = pb.start();
    OutputStream keys = p.getOutputStream();
    var screen = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    List<String> before = new ArrayList<>();
    for (String l; !(l = readLine(screen)).equals("READY"); ) before.add(l);
    assertEquals(List.of("33 101", "TTY-OK", "101"), before, "the job's terminal has the client's size");
    String id = Lab.jobs().values().stream()
        .filter(j -> "running".equals(j.getString("state")) && j.getJsonArray("argv").encode().contains("TTY-OK"))
        .findFirst().orElseThrow().getString("id");
    for (int i = 1; i <= 4; i++) {
      // keys typed in raw mode: the job's terminal echoes them and turns CR into a line
      keys.write(("line" + i + "\r").getBytes());
      keys.flush();
      assertEquals("line" + i, readLine(screen), "the job's terminal echoes what is typed");
      assertEquals(i + " line" + i, readLine(screen));
      if (i < 4) assertEquals("committed", Lab.migrate(id, i % 2 == 1 ? "n2" : "n1").getString("state"));
    }
    // the user's window grows: the job (on another node by now) sees its terminal grow, and SIGWINCH
    Lab.run(List.of("kill", "-USR1", Long.toString(p.pid())), null, 10).ok();
    Lab.sleep(1_000);
    // bash runs its WINCH trap once its read returns: the next line typed
    keys.write("last\r".getBytes());
    keys.flush();
    java.util.Set<String> next = new java.util.HashSet<>(List.of(readLine(screen), readLine(screen), readLine(screen)));
    assertEquals(java.util.Set.of("last", "43 121", "5 last"), next, "the job's terminal follows the client's window");
    keys.write(3);  // Ctrl-C
    keys.flush();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Ctrl-C did not end the job");
    assertEquals(130, p.exitValue());
    assertEquals(3, Lab.job(id).getInteger("migrations"));
  }

  /** A line of a terminal's output, without its CR LF. */
  private static String readLine(java.io.BufferedReader screen) throws java.io.IOException {
    String l = screen.readLine();
    if (l == null) throw new java.io.EOFException("the client's terminal closed");
    return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
  }
}
