package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** Services exposed on the gateway's outside address keep their clients' connections through migrations. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class ExposedServiceTest {
  static final String GATEWAY = "10.77.0.2";

  static int exposedPort(String jobId) {
    return Lab.job(jobId).getJsonArray("exposed").getJsonObject(0).getInteger("public");
  }

  @Test
  void echoStreamStaysByteExactThroughTwentyMigrationsAndStallsNoLongerThanTheFreeze() throws Exception {
    Path dir = Lab.workDir("echo");
    String id = startExposed(dir, "n1", "7000", Lab.PYTHON, Lab.JOBS.resolve("echo_server.py").toString(), "7000");
    int port = exposedPort(id);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong worstStallMs = new AtomicLong();
    AtomicLong roundTrips = new AtomicLong();
    CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> {
      try (Socket s = new Socket(GATEWAY, port)) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        Random random = new Random(42);
        while (!stop.get()) {
          byte[] sent = new byte[1 + random.nextInt(4096)];
          random.nextBytes(sent);
          long t0 = System.nanoTime();
          out.write(sent);
          byte[] back = in.readNBytes(sent.length);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (!Arrays.equals(sent, back)) return "echo differs after " + roundTrips.get() + " round trips";
          worstStallMs.accumulateAndGet(ms, Math::max);
          roundTrips.incrementAndGet();
        }
        return "ok";
      } catch (Exception e) {
        return "client failed after " + roundTrips.get() + " round trips: " + e;
      }
    });
    waitUntil(() -> roundTrips.get() > 50, 20, () -> "no echo through the gateway");
    long worstFreeze = 0;
    for (int i = 0; i < 20; i++) {
      long before = roundTrips.get();
      JsonObject rec = Lab.migrate(id, i % 2 == 0 ? "n2" : "n1");
      assertEquals("committed", rec.getString("state"), rec.encode());
      worstFreeze = Math.max(worstFreeze, rec.getLong("freezeMs"));
      int migration = i + 1;
      waitUntil(() -> roundTrips.get() > before + 20, 20, () -> "echo stalled after migration " + migration);
    }
    stop.set(true);
    assertEquals("ok", client.get(30, TimeUnit.SECONDS));
    System.out.printf("echo through 20 migrations: %d round trips, longest stall %d ms, longest freeze %d ms%n",
        roundTrips.get(), worstStallMs.get(), worstFreeze);
    assertTrue(worstStallMs.get() <= worstFreeze + 50,
        "longest stall " + worstStallMs.get() + " ms exceeds the longest freeze " + worstFreeze + " ms + 50 ms");
    Lab.tern("kill", id).ok();
  }

  @Test
  void downloadOf200MiBSurvivesThreeMigrations() throws Exception {
    Path dir = Lab.workDir("http");
    Path file = dir.resolve("big.bin");
    byte[] block = new byte[1 << 20];
    new Random(7).nextBytes(block);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      for (int i = 0; i < 200; i++) {
        block[0] = (byte) i;
        f.write(block);
        expected.update(block);
      }
    }
    String id = startExposed(dir, "n1", "8000", Lab.PYTHON, "-m", "http.server", "8000", "--bind", "0.0.0.0");
    int port = exposedPort(id);
    Lab.sleep(1000);
    HttpClient http = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<InputStream>> response = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://" + GATEWAY + ":" + port + "/big.bin")).build(), HttpResponse.BodyHandlers.ofInputStream());
    AtomicLong received = new AtomicLong();
    CompletableFuture<byte[]> digest = response.thenApplyAsync(r -> {
      try (InputStream in = r.body()) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          d.update(buf, 0, n);
          received.addAndGet(n);
        }
        return d.digest();
      } catch (Exception e) {
        throw new IllegalStateException("download broke after " + received.get() + " bytes: " + e, e);
      }
    });
    String[] targets = {"n2", "n3", "n1"};
    for (int i = 0; i < 3; i++) {
      long mark = received.get();
      int migration = i + 1;
      waitUntil(() -> received.get() > mark + (20L << 20), 60, () -> "download not moving before migration " + migration);
      assertTrue(received.get() < 200L << 20, "download finished before migration " + (i + 1));
      assertEquals("committed", Lab.migrate(id, targets[i]).getString("state"));
    }
    assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(digest.get(120, TimeUnit.SECONDS)));
    assertEquals(200L << 20, received.get());
    Lab.tern("kill", id).ok();
    Files.delete(file);
  }

  @Test
  void badExposuresGetClearErrorsAndClientsOfAnEndedJobSeeAClose() throws Exception {
    Path dir = Lab.workDir("expose-bad");
    String id = startExposed(dir, "n2", "7000", Lab.PYTHON, Lab.JOBS.resolve("echo_server.py").toString(), "7000");
    int port = exposedPort(id);
    Lab.Result inUse = Lab.tern("expose", id, "7001:" + port);
    assertEquals(1, inUse.exit());
    assertTrue(inUse.stderr().contains("already in use"), inUse.stderr());
    Lab.Result outOfRange = Lab.tern("expose", id, "7001:80");
    assertEquals(1, outOfRange.exit());
    assertTrue(outOfRange.stderr().contains("outside the allowed range"), outOfRange.stderr());
    Lab.Result unknown = Lab.tern("expose", "j999999", "7001");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.stderr().contains("unknown job"), unknown.stderr());
    assertEquals(2, Lab.tern("expose", id, "seven").exit());
    assertEquals(1, Lab.job(id).getJsonArray("exposed").size(), "a refused exposure changes nothing");

    try (Socket s = new Socket(GATEWAY, port)) {
      s.getOutputStream().write("ping".getBytes());
      assertArrayEquals("ping".getBytes(), s.getInputStream().readNBytes(4));
      s.setSoTimeout(20_000);
      Lab.tern("kill", id).ok();
      assertEquals(-1, s.getInputStream().read(), "the client of an ended job sees the connection close");
    }
  }

  @Test
  void silentClientsAreDroppedAfterTheIdleTimeoutAndConnectionsAreLimited() throws Exception {
    // the lab's gateway runs with --idle-timeout 20 --max-connections 64
    String id = startExposed(Lab.workDir("limits"), "n3", "7000", Lab.PYTHON, Lab.JOBS.resolve("echo_server.py").toString(), "7000");
    int port = exposedPort(id);
    java.util.List<Socket> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        Socket s = new Socket(GATEWAY, port);
        s.getOutputStream().write('x');
        assertEquals('x', s.getInputStream().read());
        open.add(s);
      }
      try (Socket extra = new Socket(GATEWAY, port)) {
        extra.setSoTimeout(10_000);
        assertEquals(-1, extra.getInputStream().read(), "the 65th connection must be closed at once");
      }
      for (Socket s : open) s.close();
      open.clear();
      Lab.sleep(500);
      long t0 = System.currentTimeMillis();
      try (Socket silent = new Socket(GATEWAY, port)) {
        silent.setSoTimeout(60_000);
        assertEquals(-1, silent.getInputStream().read(), "a silent client is closed by the idle timeout");
        long waited = System.currentTimeMillis() - t0;
        assertTrue(waited >= 15_000 && waited < 40_000, "closed after " + waited + " ms, idle timeout is 20 s");
      }
    } finally {
      for (Socket s : open) s.close();
      Lab.tern("kill", id);
    }
  }

  static String startExposed(Path cwd, String node, String expose, String... command) {
    java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(Lab.ROOT.resolve("tern").toString(), "run", "--detach",
        "--user", "nobody", "--node", node, "--expose", expose, "--"));
    argv.addAll(java.util.List.of(command));
    return Lab.run(argv, cwd, 120).ok().stdout().trim();
  }
}
