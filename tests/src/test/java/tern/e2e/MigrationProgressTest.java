package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** A migration in flight, as the page sees it through the API: its phase as it goes, the bytes its donor has sent so far. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class MigrationProgressTest {
  @Test
  void aRunningMigrationShowsItsPhaseAndTheBytesSentSoFarAndItsRecordThePredictedFreeze() throws Exception {
    Path dir = Lab.workDir("progress");
    String job = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("memhog.py").toString(), "80", "random", dir.resolve("ready").toString());
    waitUntil(() -> Files.exists(dir.resolve("ready")), 60, () -> "memhog never got its memory");
    CompletableFuture<Lab.Result> migrate = CompletableFuture.supplyAsync(() -> Lab.tern("migrate", job, "--to", "n2", "-o", "json"));
    Set<String> phases = new LinkedHashSet<>();
    long maxSent = 0;
    int sentSamples = 0;
    while (!migrate.isDone()) {
      for (Object o : new JsonArray(PageClient.withToken("/v1/migrations"))) {
        JsonObject m = (JsonObject) o;
        if (!job.equals(m.getString("jobId")) || !"running".equals(m.getString("state"))) continue;
        if (m.containsKey("phase")) phases.add(m.getString("phase"));
        if (m.getLong("bytesSent", 0L) > maxSent) {
          maxSent = m.getLong("bytesSent");
          sentSamples++;
        }
      }
      Thread.sleep(100);
    }
    JsonObject done = migrate.get().ok().json();
    System.out.println("MigrationProgressTest: phases seen in flight " + phases + ", bytesSent rose " + sentSamples + " times to " + maxSent
        + "; record " + done.encode());
    assertEquals("committed", done.getString("state"), done.encode());
    assertTrue(phases.contains("dump+transfer"), "the phase in progress was shown: " + phases);
    assertTrue(sentSamples >= 2 && maxSent > 1 << 20, "bytes sent rose while it ran: " + sentSamples + " samples, up to " + maxSent);
    assertTrue(maxSent <= done.getLong("bytesMoved"), "no more sent than moved: " + maxSent + " > " + done.getLong("bytesMoved"));
    assertTrue(done.getLong("predictedFreezeMs", -1L) > 0, "the learned model's prediction is in the record: " + done.encode());
    JsonObject listed = new JsonArray(PageClient.withToken("/v1/migrations")).stream().map(o -> (JsonObject) o)
        .filter(m -> m.getString("id").equals(done.getString("id"))).findFirst().orElseThrow();
    assertTrue(!listed.containsKey("phase") && !listed.containsKey("bytesSent"), "a finished migration has neither: " + listed.encode());
    assertEquals("n2", Lab.job(job).getString("node"));
  }
}
