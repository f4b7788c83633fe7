package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * The gateway's JVM is killed (SIGKILL) and its restart loop brings it back, as systemd would: it
 * rejoins the running cluster through the nodes it knows, answers 503 until it holds the cluster's
 * state (never an empty list), reopens the exposed ports, and settles a migration its former self
 * left in the middle of a dump, so that the job runs exactly once.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class GatewayRestartTest {
  private static final String API = "http://10.77.0.2:7070";
  private OutsidePeer peer;
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    // a test before may have left the gateway restarting: the client waits for it (503 and Retry-After)
    Lab.tern("nodes").ok();
    peer = new OutsidePeer();
    dir = Lab.workDir("restart");
  }

  @AfterEach
  void tearDown() throws Exception {
    peer.close();
    waitUntil(() -> getJobs().status() == 200, 120, () -> "the gateway did not come back");
  }

  @Test
  void killedGatewayComesBackWithEveryJobItsPortsAndItsTalkersStreams() throws Exception {
    String talker = startTalker("n1", 0);
    String echo = startEcho();
    int port = ExposedServiceTest.exposedPort(echo);

    long killedAt = killGateway();
    long listedAt = awaitJobsListed(killedAt, Set.of(talker, echo));
    waitUntil(() -> echoes(port), 10, () -> "the exposed port did not echo within 10 s of the kill");
    long echoedAt = System.currentTimeMillis();
    System.out.printf("gateway SIGKILL: jobs listed after %d ms, exposed port echoed after %d ms%n",
        listedAt - killedAt, echoedAt - killedAt);

    assertConversationGoesOn();
    JsonObject moved = Lab.migrate(talker, "n3");
    assertEquals("committed", moved.getString("state"), moved.encode());
    assertTalkerEndsCleanly(talker);
  }

  @Test
  void gatewayKilledDuringADumpLeavesTheJobRunningExactlyOnce() throws Exception {
    // 48 MiB of random memory: its dump and transfer take seconds on the lab's 100 Mbit link
    String talker = startTalker("n1", 48);
    String echo = startEcho();
    int port = ExposedServiceTest.exposedPort(echo);

    CompletableFuture<Lab.Result> migration = CompletableFuture.supplyAsync(() -> Lab.tern("migrate", talker, "--to", "n3"));
    waitUntil(() -> dumping(talker), 60, () -> "the migration never reached its dump");
    Thread.sleep(500);
    long killedAt = killGateway();
    Lab.Result cut = migration.get(120, TimeUnit.SECONDS);
    assertNotEquals(0, cut.exit(), "the migration's client must see it fail: " + cut.stdout());

    long listedAt = awaitJobsListed(killedAt, Set.of(talker, echo));
    waitUntil(() -> echoes(port), 10, () -> "the exposed port did not echo within 10 s of the kill");
    System.out.printf("gateway SIGKILL during a dump: jobs listed after %d ms%n", listedAt - killedAt);
    waitUntil(() -> "running".equals(Lab.job(talker).getString("state")), 120, () -> "the talker never ran again after the gateway's restart");
    JsonObject job = Lab.job(talker);
    assertEquals("n1", job.getString("node"), "an unfinished migration leaves the job on its donor: " + job.encode());
    waitUntil(() -> Lab.placesRunning(talker).equals(List.of("n1")), 30, () -> "the talker must run exactly once, on n1");
    JsonObject m = lastMigration(talker);
    assertEquals("aborted", m.getString("state"), m.encode());
    waitUntil(() -> Lab.leftovers(talker, job.getString("vip"), "n1").isEmpty(), 30, () -> "the unfinished migration left something behind");

    assertConversationGoesOn();
    JsonObject moved = Lab.migrate(talker, "n3");
    assertEquals("committed", moved.getString("state"), moved.encode());
    assertTalkerEndsCleanly(talker);
  }

  /** An echo server exposed on the gateway's outside address, answering. */
  private String startEcho() throws Exception {
    String echo = ExposedServiceTest.startExposed(dir, "n2", "7000", Lab.PYTHON, Lab.JOBS.resolve("echo_server.py").toString(), "7000");
    int port = ExposedServiceTest.exposedPort(echo);
    waitUntil(() -> echoes(port), 20, () -> "the exposed echo job never answered");
    return echo;
  }

  private String startTalker(String node, int ballastMib) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Lab.PYTHON, Lab.JOBS.resolve("talker.py").toString(), Lab.OUTSIDE_PEER_IP,
        Integer.toString(peer.port()), dir.resolve("stop").toString(), "0.01"));
    if (ballastMib > 0) cmd.add(Integer.toString(ballastMib));
    String id = Lab.start(dir, node, cmd.toArray(String[]::new));
    waitUntil(() -> peer.lastLine.get() > 10, 60, () -> "the talker never reached its peer");
    return id;
  }

  /** SIGKILL to the gateway's JVM (by the PID the lab recorded); returns when it was sent. */
  private static long killGateway() throws IOException {
    long pid = Long.parseLong(Files.readString(Path.of("/run/tern/lab/gateway.pid")).trim());
    long at = System.currentTimeMillis();
    Lab.run(List.of("kill", "-KILL", Long.toString(pid)), null, 10).ok();
    return at;
  }

  /**
   * Asks the API for the job list every 100 ms from the kill on: until the gateway is back it may
   * refuse connections or answer 503, but any list it gives must hold every job; within 10 s it must.
   */
  private static long awaitJobsListed(long killedAt, Set<String> ids) throws Exception {
    List<String> seen = new ArrayList<>();
    while (System.currentTimeMillis() < killedAt + 10_000) {
      Answer a = getJobs();
      if (a.status == 200) {
        List<String> listed = new JsonArray(a.body).stream().map(o -> ((JsonObject) o).getString("id")).toList();
        assertTrue(listed.containsAll(ids), "the restarted gateway listed " + listed + ", without some of " + ids + "; before: " + seen);
        return System.currentTimeMillis();
      }
      assertTrue(a.status == 0 || a.status == 503, "while restarting the gateway answered " + a.status + ": " + a.body);
      if (a.status == 503) assertTrue(a.retryAfter != null, "a 503 says when to ask again (Retry-After)");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(a.describe())) seen.add(a.describe());
      Thread.sleep(100);
    }
    throw new AssertionError("the gateway did not list the jobs within 10 s of the kill; it answered: " + seen);
  }

  private record Answer(int status, String body, String retryAfter) {
    String describe() { return status == 0 ? body : status + " " + body.replaceAll("\\s+", " "); }
  }

  private static Answer getJobs() throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(API + "/v1/jobs").toURL().openConnection();
    c.setConnectTimeout(1_000);
    c.setReadTimeout(5_000);
    c.setRequestProperty("Authorization", "Bearer " + Files.readString(Path.of("/run/tern/lab/admin-token")).trim());
    try {
      int status = c.getResponseCode();
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8), c.getHeaderField("Retry-After"));
      }
    } catch (java.net.ConnectException | java.net.SocketTimeoutException e) {
      return new Answer(0, e.getClass().getSimpleName(), null);
    }
  }

  /** A new connection to the exposed port gets its bytes back. */
  private static boolean echoes(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ExposedServiceTest.GATEWAY, port), 1_000);
      s.setSoTimeout(2_000);
      byte[] sent = "hello through the gateway\n".getBytes(StandardCharsets.US_ASCII);
      OutputStream out = s.getOutputStream();
      out.write(sent);
      return Arrays.equals(sent, s.getInputStream().readNBytes(sent.length));
    } catch (IOException e) {
      return false;
    }
  }

  /** The job's migration has passed its announce and prepare: its dump is under way. */
  private static boolean dumping(String jobId) {
    JsonObject m = lastMigration(jobId);
    return m != null && "running".equals(m.getString("state")) && m.getJsonObject("phasesMs").containsKey("prepare");
  }

  private static JsonObject lastMigration(String jobId) {
    JsonObject last = null;
    for (Object o : Lab.tern("migrations", "-o", "json").ok().jsonArray()) {
      JsonObject m = (JsonObject) o;
      if (jobId.equals(m.getString("jobId"))) last = m;
    }
    return last;
  }

  private void assertConversationGoesOn() throws Exception {
    long before = peer.lastLine.get();
    waitUntil(() -> peer.lastLine.get() > before + 20, 60, () -> "the talker's conversation did not go on after the gateway's restart");
  }

  private void assertTalkerEndsCleanly(String talker) throws Exception {
    Files.writeString(dir.resolve("stop"), "stop");
    String outcome = peer.outcome.get(60, TimeUnit.SECONDS);
    assertTrue(outcome.startsWith("ok "), "outside peer: " + outcome);
    waitUntil(() -> "exited".equals(Lab.job(talker).getString("state")), 30, () -> "the talker did not end");
    assertEquals(0, Lab.job(talker).getInteger("exitCode"), () -> Lab.job(talker).encode());
  }
}
