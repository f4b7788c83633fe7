package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a clear error and changes nothing. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class BadInputTest {
  static String job;
  static Path dir;

  @BeforeAll
  static void startJob() {
    dir = Lab.workDir("bad");
    job = Lab.start(dir, "n1", "sleep", "1000");
  }

  private static void assertRefused(Lab.Result r, String... phrases) {
    assertEquals(1, r.exit(), "exit status for a refused request: " + r);
    for (String p : phrases) assertTrue(r.stderr().contains(p), "error should mention '" + p + "': " + r.stderr());
  }

  private static void assertUnchanged() {
    JsonObject j = Lab.job(job);
    assertEquals("running", j.getString("state"));
    assertEquals("n1", j.getString("node"));
    assertEquals(0, j.getInteger("migrations"));
    assertEquals(List.of("n1"), Lab.placesRunning(job));
  }

  @Test
  void unknownJob() {
    assertRefused(Lab.tern("migrate", "j999999", "--to", "n2"), "unknown job", "j999999", "404");
    assertRefused(Lab.tern("kill", "j999999"), "unknown job");
  }

  @Test
  void migrationToItsOwnNode() {
    assertRefused(Lab.tern("migrate", job, "--to", "n1"), "already runs on n1", "409");
    assertUnchanged();
  }

  @Test
  void migrationToUnknownNode() {
    assertRefused(Lab.tern("migrate", job, "--to", "n42"), "unknown node 'n42'", "404");
    assertUnchanged();
  }

  @Test
  void jobHoldingALocalDeviceStaysPut() throws Exception {
    Path device = Lab.localDevice(dir);
    String pinned = Lab.start(dir, "n1", "/bin/sh", "-c", "exec 3<" + device + "; exec sleep 1000");
    Lab.sleep(500);
    Lab.Result r = Lab.tern("migrate", pinned, "--to", "n2");
    assertRefused(r, "holds a local device", "tape", "10:200", "409");
    assertEquals("n1", Lab.job(pinned).getString("node"));
    assertEquals(List.of("n1"), Lab.placesRunning(pinned));
    Lab.tern("kill", pinned).ok();
    Files.deleteIfExists(device);
  }

  @Test
  void malformedAndUnauthenticatedRequestsGet4xxAndChangeNothing() throws Exception {
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    String url = client.getString("url");
    String token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
    HttpClient http = HttpClient.newHttpClient();
    int jobsBefore = Lab.jobs().size();

    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs/" + job + "/migrate"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"n2\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, noToken.statusCode());
    assertTrue(new JsonObject(noToken.body()).getString("error").contains("admin token"));

    HttpResponse<String> wrongToken = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
        .header("Authorization", "Bearer " + token + "x").POST(HttpRequest.BodyPublishers.ofString(
            "{\"argv\":[\"true\"],\"cwd\":\"/\",\"uid\":65534,\"gid\":65534}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrongToken.statusCode());

    HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs/" + job + "/migrate"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, malformed.statusCode());
    assertTrue(new JsonObject(malformed.body()).getString("error").contains("not a JSON object"));

    HttpResponse<String> asRoot = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(
            "{\"argv\":[\"true\"],\"cwd\":\"/\",\"uid\":0,\"gid\":0}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, asRoot.statusCode());
    assertTrue(new JsonObject(asRoot.body()).getString("error").contains("never run as root"));

    HttpResponse<String> noArgv = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/jobs"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{\"cwd\":\"/\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, noArgv.statusCode());

    assertUnchanged();
    assertEquals(jobsBefore, Lab.jobs().size(), "a refused request leaves no job behind");
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, Lab.tern("frobnicate").exit());
    assertEquals(2, Lab.tern("migrate").exit());
    assertEquals(0, Lab.tern("--help").exit());
    int jobsBefore = Lab.jobs().size();
    Lab.Result noTerminal = Lab.tern("run", "-t", "--", "true");
    assertEquals(2, noTerminal.exit());
    assertTrue(noTerminal.stderr().contains("must be a terminal"), noTerminal.stderr());
    assertEquals(2, Lab.tern("run", "-t", "--detach", "--", "true").exit());
    assertEquals(jobsBefore, Lab.jobs().size(), "a refused run starts no job");
    assertEquals(2, Lab.tern("balance", "sideways").exit());
    assertEquals(2, Lab.tern("events", "-n", "many").exit());
    assertEquals(2, Lab.tern("drain").exit());
    assertEquals(2, Lab.tern("drain", "n1", "--timeout", "soon").exit());
  }

  @Test
  void drainOfAnUnknownNodeIsRefusedAndChangesNothing() {
    assertRefused(Lab.tern("drain", "n42"), "unknown node 'n42'", "404");
    assertRefused(Lab.tern("undrain", "n42"), "unknown node 'n42'", "404");
    assertTrue(Lab.tern("nodes", "-o", "json").ok().jsonArray().stream().map(o -> (io.vertx.core.json.JsonObject) o)
        .allMatch(n -> "up".equals(n.getString("state"))), "no node is draining");
    assertUnchanged();
  }

  /** A POST with the admin token, as no client of ours would send it. */
  private static HttpResponse<String> post(String path, String body) throws Exception {
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    String token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(client.getString("url") + path))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> jobIds() {
    return List.copyOf(Lab.jobs().keySet());
  }

  @Test
  void aStartWithAnyBadFieldIsRefusedBeforeAJobExists() throws Exception {
    List<String> before = jobIds();
    String start = "{\"argv\":[\"sleep\",\"1000\"],\"cwd\":\"" + dir + "\",\"gid\":65534,";
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(start + "\"uid\":65534,\"expose\":[{\"port\":0}]}", "'expose[0].port' must be an integer from 1 to 65535, got 0");
    refused.put(start + "\"uid\":65534,\"expose\":[{\"port\":7000,\"public\":1}]}", "public port 1 is outside the allowed range");
    refused.put(start + "\"uid\":65534,\"expose\":[{\"port\":7000},{\"port\":7000}]}", "port 7000 is listed twice");
    refused.put(start + "\"uid\":4295032830}", "'uid' must be an integer from 0 to 4294967294, got 4295032830");
    refused.put(start + "\"uid\":\"65534\"}", "'uid' must be an integer");
    refused.put(start + "\"uid\":65534,\"env\":null,\"argv\":\"sleep 1000\"}", "'argv' must be an array");
    try {
      for (Map.Entry<String, String> r : refused.entrySet()) {
        HttpResponse<String> answer = post("/v1/jobs", r.getKey());
        assertEquals(before, jobIds(), "a refused start leaves no job, not even a failed one: " + r.getKey() + " -> " + answer.body());
        assertEquals(400, answer.statusCode(), r.getKey() + " -> " + answer.body());
        assertTrue(new JsonObject(answer.body()).getString("error").contains(r.getValue()), r.getKey() + " -> " + answer.body());
      }
    } finally {
      for (String id : jobIds()) if (!before.contains(id)) Lab.tern("kill", id);
    }
    assertUnchanged();
  }
}
