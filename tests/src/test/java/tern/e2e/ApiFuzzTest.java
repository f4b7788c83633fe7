package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * The API against thousands of generated requests with a valid token (see {@link ApiFuzz}): every one
 * is answered within 5 s, none with a 5xx, the gateway's process is the one it was, and a job that was
 * running before runs on as it did. The seed is printed;
 * -Dtern.fuzz.seed=S replays a run, and -Dtern.fuzz.requests=N sets its length.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class ApiFuzzTest {
  static final long ANSWER_WITHIN_MS = 5_000;

  @Test
  void noGeneratedRequestGetsA5xxOrNoAnswerAndNothingRunningChanges() throws Exception {
    long seed = Long.getLong("tern.fuzz.seed", System.currentTimeMillis());
    int count = Integer.getInteger("tern.fuzz.requests", 3000);
    System.out.println("ApiFuzzTest: seed " + seed + ", " + count + " requests (replay: -Dtern.fuzz.seed=" + seed + ")");
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    URI api = URI.create(client.getString("url"));
    String token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
    Path dir = Lab.workDir("fuzz");

    String job = Lab.start(dir, "n1", "sleep", "1000");
    waitUntil(() -> Lab.job(job).getLong("hostPid") != null, 30, () -> "job " + job + " did not start");
    JsonObject before = Lab.job(job);
    String ended = Lab.start(dir, null, "true");
    waitUntil(() -> "exited".equals(Lab.job(ended).getString("state")), 30, () -> "job " + ended + " did not end");
    long gatewayPid = gatewayPid();

    ApiFuzz fuzz = new ApiFuzz(seed, api.getHost() + ":" + api.getPort(), token, List.of(job, ended, "j999999", "j0", "j12345678"),
        List.of(ended, "j999999", "j0", "j99999999", "j123456789", "x", "J1", "j-1", "j1.0", "%6A999999", "j\u0661", ".."),
        Set.of(job, "n1"), List.of("n1", "n2", "n3"), List.of("n2", "n3"), dir.toString());
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < count; i++) {
        ApiFuzz.Request r = fuzz.next(i);
        RawExchange.Outcome o = RawExchange.send(api.getHost(), api.getPort(), r.bytes(), r.method().equals("HEAD"), ANSWER_WITHIN_MS + 1_000);
        byStatus.merge(o.status(), 1, Integer::sum);
        if (!o.answered() || o.status() >= 500 || o.millis() > ANSWER_WITHIN_MS) failures.add(r + "\n    -> " + o);
      }
    } finally {
      System.out.println("ApiFuzzTest: " + count + " requests in " + (System.nanoTime() - t0) / 1_000_000_000 + " s; by status (-1: no answer): "
          + byStatus);
      failures.stream().limit(30).forEach(f -> System.out.println("ApiFuzzTest: " + f));
      cleanUp();
    }

    assertEquals(List.of(), failures.stream().limit(10).toList(), failures.size() + " of " + count
        + " requests got no answer within " + ANSWER_WITHIN_MS + " ms or a 5xx (seed " + seed + ")");
    assertEquals(gatewayPid, gatewayPid(), "the gateway's process is the one from before");
    assertTrue(Files.exists(Path.of("/proc/" + gatewayPid)), "the gateway is alive");
    JsonObject after = Lab.job(job);
    assertEquals("running", after.getString("state"), after.encode());
    assertEquals(before.getString("node"), after.getString("node"), after.encode());
    assertEquals(before.getLong("hostPid"), after.getLong("hostPid"), after.encode());
    assertEquals(before.getInteger("migrations"), after.getInteger("migrations"), after.encode());
    assertEquals(List.of("n1"), Lab.placesRunning(job));
    Lab.tern("kill", job).ok();
  }

  static long gatewayPid() throws Exception { return Long.parseLong(Files.readString(Path.of("/run/tern/lab/gateway.pid")).trim()); }

  /** What the fuzz may have drained or switched goes, so that the classes after this one find the lab as it was (KillStartedJobs kills its jobs). */
  static void cleanUp() {
    for (String node : List.of("n1", "n2", "n3")) Lab.tern("undrain", node);
    Lab.tern("balance", "off");
  }
}
