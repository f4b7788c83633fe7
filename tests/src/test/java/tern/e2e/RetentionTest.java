package tern.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * The gateway restarted with small retention limits (kept 12 s, 64 KiB of output): ended jobs' output
 * files and records go, the oldest first and within the budget, a running job keeps both, a removed
 * job answers 410 with the limits, and the gateway comes back from a kill after its sweeps with all of
 * that intact. The lab's gateway is then restarted with its usual limits.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class RetentionTest {
  private static final Path ARGS = Path.of("/run/tern/lab/gateway.args");
  private static final Path OUTPUT = Path.of("/var/tmp/tern-jobs");
  private static final long BUDGET = 64 * 1024;
  private static final int KEEP_SECONDS = 12;
  private static final Pattern JOB_FILE = Pattern.compile("j[0-9]+\\.(out|out\\.status|init)");

  @BeforeEach
  void smallLimits() throws Exception {
    Files.writeString(ARGS, "--keep-ended\n" + KEEP_SECONDS + "s\n--keep-output\n64k\n");
    restartGateway();
  }

  @AfterEach
  void usualLimits() throws Exception {
    Files.deleteIfExists(ARGS);
    restartGateway();
  }

  @Test
  void endedJobsOutputAndRecordsGoOldestFirstWithinTheBudgetWhileARunningJobKeepsBoth() throws Exception {
    Path dir = Lab.workDir("retention");
    String running = Lab.start(dir, "n1", "/bin/sh", "-c", "while :; do echo tick; sleep 0.2; done");
    // four jobs of 24 KiB of output each, ended one after another: 96 KiB, over the budget of 64
    List<String> ended = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = Lab.start(dir, "n" + (i % 3 + 1), "head", "-c", "24576", "/dev/zero");
      waitUntil(() -> !Lab.jobs().containsKey(id) || "exited".equals(Lab.job(id).getString("state")), 30,
          () -> id + " did not end: " + Lab.jobs().get(id));
      ended.add(id);
    }
    String newest = ended.get(3);

    // over the budget: the oldest go at the next sweep, the newest stays (it is within its time)
    waitUntil(() -> outputBytes() <= BUDGET, 10, () -> "jobs' output stayed over the budget: " + outputBytes() + " bytes");
    System.out.printf("retention: jobs' output %d bytes after the sweep (budget %d)%n", outputBytes(), BUDGET);
    assertFalse(Lab.jobs().containsKey(ended.get(0)), "the oldest ended job goes first, for size: " + Lab.jobs().keySet());
    assertTrue(Lab.jobs().containsKey(newest), "the newest ended job is within every limit: " + Lab.jobs().keySet());
    assertTrue(counter("size") >= 1, metrics());

    // past its time every ended job goes, records and files; the running one stays whole
    waitUntil(() -> ended.stream().noneMatch(id -> Lab.jobs().containsKey(id)), KEEP_SECONDS + 15,
        () -> "ended jobs still listed " + KEEP_SECONDS + " s after they ended: " + Lab.jobs().keySet());
    for (String id : ended) assertGone(id);
    assertTrue(counter("age") >= 1, metrics());
    assertRunsWithItsOutput(running);

    // the gateway killed after its sweeps comes back with the same picture
    restartGateway();
    assertRunsWithItsOutput(running);
    for (String id : ended) assertGone(id);
    assertTrue(outputBytes() <= BUDGET, outputBytes() + " bytes of output after the restart");
  }

  private static void assertGone(String id) {
    assertFalse(Lab.jobs().containsKey(id), id + " is still listed");
    for (String suffix : List.of(".out", ".out.status", ".init")) {
      assertFalse(Files.exists(OUTPUT.resolve(id + suffix), LinkOption.NOFOLLOW_LINKS), id + suffix + " is still there");
    }
    Lab.Result logs = Lab.tern("logs", id);
    assertEquals(1, logs.exit(), logs.stdout() + logs.stderr());
    assertTrue(logs.stderr().contains("HTTP 410") && logs.stderr().contains("was removed") && logs.stderr().contains("--keep-ended"),
        "tern logs of a removed job says it was removed and what the limits are: " + logs.stderr());
  }

  private static void assertRunsWithItsOutput(String id) {
    assertEquals("running", Lab.job(id).getString("state"));
    assertTrue(Files.exists(OUTPUT.resolve(id + ".out")), "the running job's output is there");
    String tail = Lab.tern("logs", id, "-n", "3").ok().stdout();
    assertTrue(tail.contains("tick"), "tern logs of the running job: " + tail);
  }

  /** The bytes of every job's files in the output directory, as the sweep counts them (links not followed). */
  private static long outputBytes() {
    long total = 0;
    try (var files = Files.list(OUTPUT)) {
      for (Path f : files.filter(p -> JOB_FILE.matcher(p.getFileName().toString()).matches()).toList()) {
        try (var tree = Files.walk(f)) {
          for (Path p : tree.toList()) if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) total += Files.size(p);
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException gone) {
          // removed while counted
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return total;
  }

  private static String metrics() throws Exception { return PageClient.withToken("/metrics"); }

  private static long counter(String reason) throws Exception {
    Matcher m = Pattern.compile("tern_retention_removed_jobs_total\\{reason=\"" + reason + "\"} ([0-9]+)").matcher(metrics());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** SIGKILL to the gateway; its restart loop starts it again with what gateway.args holds. */
  private static void restartGateway() throws Exception {
    Path pidFile = Path.of("/run/tern/lab/gateway.pid");
    String pid = Files.readString(pidFile).trim();
    Lab.run(List.of("kill", "-KILL", pid), null, 10).ok();
    waitUntil(() -> !Files.readString(pidFile).trim().equals(pid), 30, () -> "the gateway was not restarted");
    // the client waits while the gateway answers 503 (recovering)
    waitUntil(() -> Lab.tern("ps").exit() == 0, 120, () -> "the restarted gateway does not answer");
  }
}
