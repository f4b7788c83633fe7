package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A dump carries the registers the CPU of the job's node saves (XSAVE's components), whatever the job
 * used, and CRIU cannot restore them on a CPU without them. n2 stands in for a PC without AVX (its
 * migrator withholds it): a job started there goes to n1, which has AVX, and is then refused the way
 * back, naming the registers, and runs on where it was, once.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class RegisterStateTest {
  @BeforeAll
  static void n2HasNoAvx() {
    JsonObject cpu = NodesThatDifferTest.node("n1").getJsonObject("cpu");
    assumeTrue(cpu.getJsonArray("features").getList().containsAll(List.of("xsave", "avx")), "this machine's CPU has no AVX: " + cpu.encode());
    Lab.tern(List.of("lab", "restart", "n2", "--cpu-features-without", "avx"), 420).ok();
  }

  @AfterAll
  static void n2IsItselfAgain() {
    Lab.tern(List.of("lab", "restart", "n2"), 420).ok();
    assertTrue(NodesThatDifferTest.node("n2").getJsonObject("cpu").getJsonArray("features").getList().contains("avx"));
  }

  @Test
  void aJobThatWentToACpuWithMoreRegistersIsRefusedTheWayBackAndRunsOnOnce() throws Exception {
    Path dir = Lab.workDir("cpu-registers");
    Path file = dir.resolve("count");
    String id = Lab.start(dir, "n2", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), file.toString());
    String[] first = LiveMigrationTest.waitForCount(file, null);
    assertEquals("committed", Lab.migrate(id, "n1").getString("state"));

    NodesThatDifferTest.refusedAndRunsOnOnce(id, "n2", "n1", "n2's CPU lacks avx, whose registers the job's dump would carry from n1", file, first);
    // n3 has every register n1 has: the job may go there
    assertTrue(NodesThatDifferTest.targetsOf(id).stream().anyMatch(t -> "n3".equals(t.getString("node")) && t.getBoolean("possible")));
  }
}
