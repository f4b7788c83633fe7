package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * A job ends exactly once, in the state that says why, whatever races its end: a kill and the node's
 * report of the same death, a kill during a migration, a start that fails after its process began.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class JobLifecycleTest {
  private static final Path GATEWAY_LOG = Path.of("/run/tern/lab/gateway.log");

  @Test
  void aKillEndsTheJobOnceAsKilled() throws Exception {
    long logFrom = Files.size(GATEWAY_LOG);
    String id = Lab.start(Lab.workDir("kill-once"), "n1", "sleep", "600");
    Lab.Result killed = Lab.tern("kill", id);
    assertEquals(0, killed.exit(), killed.stderr());
    JsonObject job = Lab.job(id);
    assertEquals("killed", job.getString("state"), job.encode());
    // the node reports the death too, a moment later: it must not count as a second end
    Thread.sleep(3_000);
    assertEquals("killed", Lab.job(id).getString("state"), () -> Lab.job(id).encode());
    assertEquals(1, endsInLog(id, logFrom), "ends of " + id + " in the gateway's log");
    Lab.Result again = Lab.tern("kill", id);
    assertEquals(1, again.exit());
    assertTrue(again.stderr().contains("already been killed"), again.stderr());
  }

  @Test
  void aKillDuringAMigrationWinsTheMigrationIsAbandonedAndNothingStays() throws Exception {
    long logFrom = Files.size(GATEWAY_LOG);
    Path dir = Lab.workDir("kill-migrating");
    // 48 MiB of random memory: the dump and its transfer take seconds on the lab's link
    String id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("memhog.py").toString(), "48", "random", dir.resolve("ready").toString());
    waitUntil(() -> Files.exists(dir.resolve("ready")), 60, () -> "memhog never got its memory");
    String vip = Lab.job(id).getString("vip");
    CompletableFuture<Lab.Result> migration = CompletableFuture.supplyAsync(() -> Lab.tern("migrate", id, "--to", "n2"));
    waitUntil(() -> "migrating".equals(Lab.job(id).getString("state")), 30, () -> "the migration never started");
    Lab.Result killed = Lab.tern("kill", id);
    assertEquals(0, killed.exit(), "the kill wins: " + killed.stderr());
    Lab.Result moved = migration.get(180, TimeUnit.SECONDS);
    assertNotEquals(0, moved.exit(), "the migration of a killed job must not commit: " + moved.stdout());
    assertTrue(moved.stderr().contains("abandoned") || moved.stderr().contains("killed"), moved.stderr());
    JsonObject job = Lab.job(id);
    assertEquals("killed", job.getString("state"), job.encode());
    Thread.sleep(2_000);
    assertEquals("killed", Lab.job(id).getString("state"), () -> "a killed job never comes back: " + Lab.job(id).encode());
    waitUntil(() -> Lab.placesRunning(id).isEmpty(), 30, () -> "a killed job runs on " + Lab.placesRunning(id));
    waitUntil(() -> Lab.leftovers(id, vip, null).isEmpty(), 30, () -> "left behind: " + Lab.leftovers(id, vip, null));
    assertEquals(1, endsInLog(id, logFrom), "ends of " + id + " in the gateway's log");
  }

  @Test
  void aStartThatFailsAfterItsProcessBeganEndsItBeforeItsVipIsFree() throws Exception {
    // something else holds the public port on the gateway's outside address, so the exposure fails
    // only after the node has started the job's process
    int port = 29_977;
    Process squatter = new ProcessBuilder("nsenter", "--net=/run/netns/tern-gw", Lab.PYTHON, "-c",
        "import socket,time; s=socket.socket(); s.bind(('10.77.0.2', " + port + ")); s.listen(1); print('ready', flush=True); time.sleep(600)")
        .redirectErrorStream(true).start();
    try {
      assertEquals("ready", new String(squatter.getInputStream().readNBytes(5)));
      Path dir = Lab.workDir("start-fails");
      List<String> before = jobIds();
      Lab.Result r = Lab.run(List.of(Lab.ROOT.resolve("tern").toString(), "run", "--detach", "--user", "nobody", "--node", "n2",
          "--expose", "7000:" + port, "--", Lab.PYTHON, Lab.JOBS.resolve("echo_server.py").toString(), "7000"), dir, 120);
      assertNotEquals(0, r.exit(), "a start whose port cannot be opened fails: " + r.stdout());
      assertTrue(r.stderr().contains(Integer.toString(port)), "the error names the port: " + r.stderr());
      List<String> after = new ArrayList<>(jobIds());
      after.removeAll(before);
      assertEquals(1, after.size(), "the failed start is on record: " + after);
      String id = after.get(0);
      waitUntil(() -> "failed".equals(Lab.job(id).getString("state")), 30, () -> "the job is " + Lab.job(id).encode());
      assertTrue(Lab.placesRunning(id).isEmpty(), () -> "the failed job's process still runs on " + Lab.placesRunning(id));
      String vip = Lab.job(id).getString("vip");
      waitUntil(() -> Lab.leftovers(id, vip, null).isEmpty(), 30, () -> "left behind: " + Lab.leftovers(id, vip, null));
      // the VIP is free again, and a job that gets it runs alone on it
      String next = Lab.start(dir, "n2", "sleep", "600");
      assertEquals(1, Lab.placesRunning(next).size());
      Lab.tern("kill", next).ok();
    } finally {
      squatter.destroyForcibly();
    }
  }

  @Test
  void aRunningJobHasNoProcessThatIsTheMigratorsChildAndLeavesNoZombieWhenItEnds() throws Exception {
    // the JDK keeps a thread (a "process reaper") for each child of the migrator for as long as it lives
    long migrator = Lab.status().getJsonArray("nodes").getJsonObject(0).getLong("pid");
    String id = Lab.start(Lab.workDir("no-child"), "n1", "sleep", "600");
    List<Long> pids = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/sys/fs/cgroup/cpuacct/tern/n1", id, "cgroup.procs"))) pids.add(Long.parseLong(line.trim()));
    assertTrue(pids.size() >= 3, "the capsule's launcher, init and job: " + pids);
    for (long pid : pids) {
      assertNotEquals(migrator, parentOf(pid), () -> "process " + pid + " (" + comm(pid) + ") of " + id + " is a child of the migrator");
    }
    Lab.tern("kill", id).ok();
    // whoever reaps the launcher (the system's init) may take a second or so
    waitUntil(() -> pids.stream().allMatch(p -> comm(p) == null), 15,
        () -> "left after the job ended: " + pids.stream().map(p -> p + " " + comm(p) + " " + state(p)).toList());
  }

  private static long parentOf(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
  }

  /** The process's name, or null once it is gone (a PID reused meanwhile by another program counts as gone). */
  private static String comm(long pid) {
    try {
      String name = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
      return List.of("unshare", "tini", "sh", "sleep").contains(name) ? name : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String state(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("State:")).findFirst().orElse("");
    } catch (java.io.IOException e) {
      return "gone";
    }
  }

  private static List<String> jobIds() {
    return List.copyOf(Lab.jobs().keySet());
  }

  private static int endsInLog(String id, long from) throws Exception {
    String log = Files.readString(GATEWAY_LOG, java.nio.charset.StandardCharsets.ISO_8859_1).substring((int) from);
    Matcher m = Pattern.compile("job " + id + " ended").matcher(log);
    int n = 0;
    while (m.find()) n++;
    return n;
  }
}
