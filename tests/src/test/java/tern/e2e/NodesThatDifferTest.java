package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nodes with different CPUs. The lab's nodes share one real CPU, so n3 stands in for an older PC: its
 * migrator withholds AVX2 and BMI2 (--cpu-features-without), which a job started on n1 or n2 may then
 * use and n3 cannot give it. The real difference is proven in virtual machines with different CPU models.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class NodesThatDifferTest {
  static final List<String> WITHHELD = List.of("avx2", "bmi2");

  @BeforeAll
  static void n3StandsInForAnOlderCpu() {
    JsonObject cpu = node("n1").getJsonObject("cpu");
    assumeTrue(cpu.getJsonArray("features").getList().containsAll(WITHHELD), "this machine's CPU has no " + WITHHELD + ": " + cpu.encode());
    Lab.tern(List.of("lab", "restart", "n3", "--cpu-features-without", String.join(",", WITHHELD)), 420).ok();
  }

  @AfterAll
  static void n3IsItselfAgain() {
    Lab.tern(List.of("lab", "restart", "n3"), 420).ok();
    assertTrue(node("n3").getJsonObject("cpu").getJsonArray("features").getList().containsAll(WITHHELD));
  }

  @Test
  void eachNodeListsItsCpuModelAndWhatItsCpuOffers() {
    JsonObject n1 = node("n1").getJsonObject("cpu"), n3 = node("n3").getJsonObject("cpu");
    assertEquals(n1.getString("model"), n3.getString("model"));
    assertFalse(n1.getString("model").isBlank());
    List<?> poorer = n3.getJsonArray("features").getList();
    assertTrue(poorer.contains("sse2"), n3.encode());
    for (String f : WITHHELD) assertFalse(poorer.contains(f), "n3 reports " + f + ": " + n3.encode());
    String table = Lab.tern("nodes").ok().stdout();
    assertTrue(table.contains("CPU MODEL"), table);
    assertTrue(table.lines().filter(l -> l.startsWith("n3 ")).findFirst().orElseThrow().contains(n1.getString("model").split(" ")[0]), table);
  }

  @Test
  void aJobStartedOnThePoorerCpuGoesToTheRicherAndBack() throws Exception {
    Path dir = Lab.workDir("cpu-poor");
    Path file = dir.resolve("count");
    String id = Lab.start(dir, "n3", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), file.toString());
    String token = LiveMigrationTest.waitForCount(file, null)[0];
    for (String to : List.of("n1", "n3")) {
      JsonObject rec = Lab.migrate(id, to);
      assertEquals("committed", rec.getString("state"), rec.encode());
      assertEquals(List.of(to), Lab.placesRunning(id));
    }
    assertEquals(token, LiveMigrationTest.waitForCount(file, null)[0], "the counter restarted");
    assertTrue(targetsOf(id).stream().allMatch(t -> "n3".equals(t.getString("node")) || t.getBoolean("possible")), targetsOf(id).toString());
  }

  @Test
  void aJobStartedOnTheRicherCpuIsRefusedTowardThePoorerAndStaysRunningWhereItWasOnce() throws Exception {
    Path dir = Lab.workDir("cpu-rich");
    Path file = dir.resolve("count");
    String id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), file.toString());
    String[] first = LiveMigrationTest.waitForCount(file, null);

    refusedAndRunsOnOnce(id, "n3", "n1", "n3's CPU lacks avx2, bmi2, which the job may use (it started on n1)", file, first);
    JsonObject record = Lab.tern("migrations", "-o", "json").ok().jsonArray().stream().map(o -> (JsonObject) o)
        .filter(m -> id.equals(m.getString("jobId"))).reduce((a, b) -> b).orElseThrow();
    assertEquals("refused", record.getString("state"), record.encode());
    assertEquals(0L, record.getLong("anonBytes"), "refused before the job was described, let alone frozen: " + record.encode());
    // where it could go instead: n2
    assertTrue(targetsOf(id).stream().anyMatch(t -> "n2".equals(t.getString("node")) && t.getBoolean("possible")), targetsOf(id).toString());
  }

  @Test
  void aDrainLeavesAJobThatNoOtherCpuCanRunWhereItIsAndSaysWhyWhileTheOthersLeave() throws Exception {
    Path dir = Lab.workDir("cpu-drain");
    String rich = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), dir.resolve("rich").toString());
    String poor = Lab.start(dir, "n3", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), dir.resolve("poor").toString());
    LiveMigrationTest.waitForCount(dir.resolve("poor"), null);
    assertEquals("committed", Lab.migrate(poor, "n1").getString("state"));
    LiveMigrationTest.waitForCount(dir.resolve("rich"), null);
    try {
      // only n3 takes jobs: the job started on n3 may go there, the one started on n1 may not
      Lab.tern("drain", "n2", "--no-wait").ok();
      Lab.Result drained = Lab.tern(List.of("drain", "n1", "--timeout", "120", "-o", "json"), 180);
      JsonObject status = drained.ok().json();
      assertEquals(new JsonArray(), status.getJsonArray("movable"), status.encode());
      JsonArray pinned = status.getJsonArray("pinned");
      assertEquals(1, pinned.size(), status.encode());
      assertEquals(rich, pinned.getJsonObject(0).getString("jobId"));
      assertEquals("no node that takes jobs can run it: n3's CPU lacks avx2, bmi2, which the job may use (it started on n1)",
          pinned.getJsonObject(0).getString("reason"));
      assertEquals("n3", Lab.job(poor).getString("node"));
      assertEquals(List.of("n1"), Lab.placesRunning(rich), "the pinned job runs where it was, once");
      // the balancer never tried it: no move of it toward n3 was decided, refused or failed
      List<JsonObject> events = Lab.tern("events", "-n", "1000", "-o", "json").ok().stdout().lines().map(JsonObject::new).toList();
      assertTrue(events.stream().filter(e -> rich.equals(e.getString("jobId"))).noneMatch(e -> "move-failed".equals(e.getString("kind"))
          || "n3".equals(e.getJsonObject("figures", new JsonObject()).getString("to"))), events.toString());
      assertTrue(events.stream().anyMatch(e -> rich.equals(e.getString("jobId")) && "pinned".equals(e.getString("kind"))), events.toString());
    } finally {
      Lab.tern("undrain", "n1").ok();
      Lab.tern("undrain", "n2").ok();
    }
  }

  /**
   * A move of the counter job id toward `to` is refused for the reason given, before anything froze: the job
   * runs on `from`, once, its count unbroken since `first`, and the job's targets give `to` the same reason.
   */
  static void refusedAndRunsOnOnce(String id, String to, String from, String reason, Path file, String[] first) throws Exception {
    Lab.Result refused = Lab.tern("migrate", id, "--to", to);
    assertEquals(1, refused.exit(), refused.stdout() + refused.stderr());
    assertTrue(refused.stderr().contains(reason), refused.stderr());
    assertTrue(refused.stderr().contains("it stays on " + from), refused.stderr());
    assertEquals("running", Lab.job(id).getString("state"));
    assertEquals(from, Lab.job(id).getString("node"));
    assertEquals(List.of(from), Lab.placesRunning(id), "the job runs in exactly one place");
    String[] after = LiveMigrationTest.waitForCount(file, Long.parseLong(first[1]));
    assertEquals(first[0], after[0], "the counter restarted");
    JsonObject target = targetsOf(id).stream().filter(t -> to.equals(t.getString("node"))).findFirst().orElseThrow();
    assertFalse(target.getBoolean("possible"), target.encode());
    assertTrue(target.getString("reason").contains(reason.substring(reason.indexOf("lacks "))), target.encode());
  }

  /** GET /v1/jobs/ID/targets: every node, whether the job could go there, and why not. */
  static List<JsonObject> targetsOf(String id) throws Exception {
    return new JsonArray(PageClient.withToken("/v1/jobs/" + id + "/targets")).stream().map(o -> (JsonObject) o).toList();
  }

  static JsonObject node(String name) {
    return Lab.tern("nodes", "-o", "json").ok().jsonArray().stream().map(o -> (JsonObject) o)
        .filter(n -> name.equals(n.getString("name"))).findFirst().orElseThrow(() -> new AssertionError("no node " + name));
  }
}
