package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * A failure in any phase of a migration ends with the job running exactly once, on the donor, and
 * its TCP peer still getting every byte. The faults are real: a migrator process that dies (its
 * restart loop brings it back, as systemd would), a CRIU restore that fails on a damaged image, an
 * image stream cut in the middle.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class FailureInjectionTest {
  private OutsidePeer peer;
  private Path dir;
  private String id;

  @BeforeEach
  void startTalker() throws Exception {
    peer = new OutsidePeer();
    dir = Lab.workDir("fault");
    id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("talker.py").toString(),
        Lab.OUTSIDE_PEER_IP, Integer.toString(peer.port()), dir.resolve("stop").toString(), "0.005");
    waitUntil(() -> peer.lastLine.get() > 10, 30, () -> "talker never reached its peer");
  }

  @AfterEach
  void stop() throws Exception {
    peer.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "link-drops, false, false",
      "restore-fails, false, false",
      "acceptor-dies, false, false",
      // the acceptor had the job once before: that old hand-over must not revive the copy it restored
      "acceptor-dies-after-restore, false, true",
      "donor-dies-after-dump, true, false",
  })
  void jobRunsExactlyOnceOnTheDonorAndItsPeerGetsEveryByte(String fault, boolean donorDies, boolean beenOnAcceptor) throws Exception {
    if (beenOnAcceptor) {
      assertEquals("committed", Lab.migrate(id, "n2").getString("state"));
      assertEquals("committed", Lab.migrate(id, "n1").getString("state"));
    }
    Lab.Result r = Lab.tern("migrate", id, "--to", "n2", "--inject-fault", fault);
    assertNotEquals(0, r.exit(), "migration with fault " + fault + " should fail");
    assertTrue(r.stderr().contains("failed"), "error should say what failed: " + r.stderr());
    if (donorDies) {
      // the donor's migrator comes back, sees the migration aborted, restores the job from its images
      waitUntil(() -> "running".equals(Lab.job(id).getString("state")), 60, () -> "job never resumed on the donor: " + Lab.job(id).encode());
    }
    JsonObject job = Lab.job(id);
    assertEquals("running", job.getString("state"), job.encode());
    assertEquals("n1", job.getString("node"));
    waitUntil(() -> Lab.placesRunning(id).equals(List.of("n1")), 30, () -> "job must run exactly once, on n1: " + Lab.placesRunning(id));
    String vip = job.getString("vip");
    waitUntil(() -> Lab.leftovers(id, vip, "n1").isEmpty(), 30, () -> "left behind by the failed migration: " + Lab.leftovers(id, vip, "n1"));
    long before = peer.lastLine.get();
    waitUntil(() -> peer.lastLine.get() > before + 20, 30,
        () -> "conversation did not go on after " + fault + ": line " + peer.lastLine.get() + ", " + before + " before");
    // and the job can still migrate for real afterwards
    assertEquals("committed", Lab.migrate(id, "n3").getString("state"));
    Files.writeString(dir.resolve("stop"), "stop");
    String outcome = peer.outcome.get(60, TimeUnit.SECONDS);
    assertTrue(outcome.startsWith("ok "), "outside peer after " + fault + ": " + outcome);
    waitUntil(() -> "exited".equals(Lab.job(id).getString("state")), 30, () -> "talker did not end: " + Lab.job(id).encode());
    assertEquals(0, Lab.job(id).getInteger("exitCode"), () -> Lab.job(id).encode());
    waitUntil(() -> Lab.placesRunning(id).isEmpty(), 10, () -> "processes left behind on " + Lab.placesRunning(id));
    waitUntil(() -> Lab.leftovers(id, vip, null).isEmpty(), 10, () -> "left behind by the ended job: " + Lab.leftovers(id, vip, null));
  }
}
