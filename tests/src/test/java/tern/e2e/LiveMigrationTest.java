package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** Jobs keep their memory, their processes and their TCP conversations across live migrations in the lab. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class LiveMigrationTest {

  @Test
  void cpuBoundJobKeepsItsStateAcrossTenMigrations() throws Exception {
    Path dir = Lab.workDir("counter");
    Path file = dir.resolve("count");
    String id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("counter.py").toString(), file.toString());
    String[] first = waitForCount(file, null);
    String token = first[0];
    long last = Long.parseLong(first[1]);
    String[] nodes = {"n2", "n3", "n1"};
    for (int i = 0; i < 10; i++) {
      JsonObject rec = Lab.migrate(id, nodes[i % 3]);
      assertEquals("committed", rec.getString("state"), rec.encode());
      String[] now = waitForCount(file, last);
      assertEquals(token, now[0], "the counter restarted (new start token) after migration " + (i + 1));
      long n = Long.parseLong(now[1]);
      assertTrue(n > last, "counter did not rise after migration " + (i + 1) + ": " + last + " -> " + n);
      last = n;
      assertEquals(nodes[i % 3], Lab.job(id).getString("node"));
      assertEquals(List.of(nodes[i % 3]), Lab.placesRunning(id), "job must run in exactly one place");
      assertEquals(List.of(), Lab.leftovers(id, Lab.job(id).getString("vip"), nodes[i % 3]), "left behind by migration " + (i + 1));
    }
    String vip = Lab.job(id).getString("vip");
    Lab.tern("kill", id).ok();
    waitUntil(() -> Lab.placesRunning(id).isEmpty() && Lab.leftovers(id, vip, null).isEmpty(), 10,
        () -> "left behind by the killed job: " + Lab.placesRunning(id) + " " + Lab.leftovers(id, vip, null));
  }

  @Test
  void tcpConversationWithAnOutsidePeerSurvivesTwentyMigrations() throws Exception {
    Path dir = Lab.workDir("talker");
    Path stop = dir.resolve("stop");
    try (OutsidePeer peer = new OutsidePeer()) {
      String id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("talker.py").toString(),
          Lab.OUTSIDE_PEER_IP, Integer.toString(peer.port()), stop.toString(), "0.005");
      waitUntil(() -> peer.lastLine.get() > 10, 30, () -> "the talker never reached the peer");
      assertEquals("10.77.0.2", peer.remoteAddress, "the outside peer must see the gateway's address (source NAT)");
      for (int i = 0; i < 20; i++) {
        long before = peer.lastLine.get();
        JsonObject rec = Lab.migrate(id, i % 2 == 0 ? "n2" : "n1");
        assertEquals("committed", rec.getString("state"), rec.encode());
        int migration = i + 1;
        waitUntil(() -> peer.lastLine.get() > before + 5, 30, () -> "conversation stalled after migration " + migration);
        assertTrue(!peer.outcome.isDone(), "peer ended early: " + (peer.outcome.isDone() ? peer.outcome.get() : ""));
      }
      Files.writeString(stop, "stop");
      String outcome = peer.outcome.get(60, TimeUnit.SECONDS);
      assertTrue(outcome.startsWith("ok "), "outside peer: " + outcome);
      waitUntil(() -> !"running".equals(Lab.job(id).getString("state")), 30, () -> "talker did not end");
      JsonObject job = Lab.job(id);
      assertEquals(0, job.getInteger("exitCode"), "talker exit status (3: echo mismatch, 4: connection broke): " + job.encode());
      assertEquals(20, job.getInteger("migrations"));
    }
  }

  @Test
  void pipelineWithAMultithreadedStageFinishesWithTheSameOutput() throws Exception {
    Path dir = Lab.workDir("pipeline");
    String script = Lab.PYTHON + " " + Lab.JOBS.resolve("gen.py") + " 20000 | " + Lab.PYTHON + " " + Lab.JOBS.resolve("mt.py")
        + " | sha256sum > ";
    Lab.Result local = Lab.run(List.of("/bin/sh", "-c", script + "local.txt"), dir, 120);
    assertEquals(0, local.exit(), local.stderr());
    String id = Lab.start(dir, "n1", "/bin/sh", "-c", script + "migrated.txt");
    waitUntil(() -> Lab.job(id).getInteger("processes", 0) >= 4, 10, () -> "expected a tree of several processes: " + Lab.job(id).encode());
    assertEquals("committed", Lab.migrate(id, "n3").getString("state"));
    Lab.sleep(1500);
    assertEquals("committed", Lab.migrate(id, "n2").getString("state"));
    waitUntil(() -> "exited".equals(Lab.job(id).getString("state")), 60, () -> "pipeline job did not finish");
    assertEquals(0, Lab.job(id).getInteger("exitCode"));
    assertEquals(Files.readString(dir.resolve("local.txt")), Files.readString(dir.resolve("migrated.txt")));
  }

  static String[] waitForCount(Path file, Long above) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(file)) {
        String[] parts = Files.readString(file).trim().split(" ");
        if (parts.length == 2 && (above == null || Long.parseLong(parts[1]) > above)) return parts;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("counter in " + file + " did not move past " + above);
  }
}
