package tern.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tern.json.JsonFields;
import tern.request.RequestError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API's edge on loopback, with routes of its own: whatever comes in, an answer goes out, and never a 500 for the client's mistake. */
class ApiRouterTest {
  static final String TOKEN = "0123456789abcdef-test";
  static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";
  static final Vertx VERTX = Vertx.vertx();
  static RawHttp http;
  static volatile boolean ready = true;

  @BeforeAll
  static void listen() throws Exception {
    ApiRouter api = new ApiRouter(VERTX, TOKEN, Duration.ofSeconds(1), () -> ready);
    api.get("/v1/jobs/:id", r -> new JsonObject().put("id", r.jobId()));
    api.get("/v1/events", r -> new JsonObject().put("after", r.query("after", -1, Long.MAX_VALUE - 1, -1)));
    api.post("/v1/jobs", 201, r -> {
      JsonFields b = r.body();
      JsonObject echo = new JsonObject().put("name", b.string("name")).put("n", b.integer("n", 1, 10));
      b.noOthers();
      return echo;
    });
    api.get("/v1/boom", r -> { throw new IllegalStateException("kaput"); });
    api.get("/v1/busy", r -> { throw new RequestError(409, "busy right now"); });
    int port = api.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    http = new RawHttp(port);
  }

  @AfterAll
  static void close() {
    VERTX.close().toCompletionStage().toCompletableFuture().join();
  }

  static String get(String target) { return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n"; }

  static String post(String contentType, String body) {
    return "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  static void assertAnswer(int status, String phrase, RawHttp.Answer a) {
    assertEquals(status, a.status(), a.toString());
    assertTrue(a.headers().toLowerCase().contains("content-type: application/json"), a.toString());
    assertTrue(a.error().contains(phrase), "error should mention '" + phrase + "': " + a);
  }

  @Test
  void aGoodRequestIsAnswered() throws IOException {
    assertEquals("j12", http.send(get("/v1/jobs/j12")).json().getString("id"));
    RawHttp.Answer created = http.send(post("application/json; charset=utf-8", "{\"name\":\"x\",\"n\":3}"));
    assertEquals(201, created.status(), created.toString());
    assertEquals(3, created.json().getInteger("n"));
    assertEquals(201, http.send(post(null, "{\"name\":\"x\",\"n\":3}")).status(), "no Content-Type is taken as JSON");
  }

  @Test
  void aGatewayThatIsNotReadyAnswers503WithRetryAfterButStillChecksTheTokenFirst() throws IOException {
    ready = false;
    try {
      RawHttp.Answer a = http.send(get("/v1/jobs/j12"));
      assertAnswer(503, "recovering its state", a);
      assertTrue(a.headers().toLowerCase().contains("retry-after: 1"), a.toString());
      assertAnswer(401, "admin token", http.send("GET /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n\r\n"));
    } finally {
      ready = true;
    }
    assertEquals("j12", http.send(get("/v1/jobs/j12")).json().getString("id"));
  }

  @Test
  void anHttpVersionTheServerDoesNotSpeakIsTheClientsMistake() throws IOException {
    for (String version : List.of("HTTP/2.0", "HTTP/1.2", "HTTP/9.9")) {
      assertAnswer(400, "HTTP version", http.send("GET /v1/jobs/j1 " + version + "\r\nHost: x\r\n" + AUTH + "\r\n"));
    }
    assertEquals("j12", http.send(get("/v1/jobs/j12")).json().getString("id"));
  }

  @Test
  void theTokenComesFirstEvenBeforeTheBody() throws IOException {
    assertAnswer(401, "admin token", http.send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        + "Content-Length: 5\r\n\r\n--b--"));
    assertAnswer(401, "admin token", http.send("GET /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n\r\n"));
    RawHttp.Answer a = http.sendExpecting("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 20\r\n\r\n", "");
    assertAnswer(401, "admin token", a);
    assertEquals(List.of(), a.interim(), "no 100 Continue for a stranger: its body is not wanted");
  }

  @Test
  void anExpectedBodyIsAskedForOnceTheTokenIsGood() throws IOException {
    String body = "{\"name\":\"x\",\"n\":1}";
    RawHttp.Answer a = http.sendExpecting("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Expect: 100-continue\r\nContent-Length: "
        + body.length() + "\r\n\r\n", body);
    assertEquals(201, a.status(), a.toString());
    assertEquals(List.of(100), a.interim());
    assertAnswer(417, "100-continue", http.send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Expect: coffee\r\nContent-Length: 2\r\n\r\n{}"));
  }

  @Test
  void aChunkedBodyIsRead() throws IOException {
    RawHttp.Answer a = http.send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Transfer-Encoding: chunked\r\n\r\n"
        + "9\r\n{\"name\":\"\r\n9\r\nx\",\"n\":2}\r\n0\r\n\r\n");
    assertEquals(201, a.status(), a.toString());
    assertEquals(2, a.json().getInteger("n"));
  }

  @Test
  void http10IsAnsweredWithOrWithoutAHost() throws IOException {
    RawHttp.Answer a = http.send("GET /v1/jobs/j3 HTTP/1.0\r\n" + AUTH + "\r\n");
    assertEquals(200, a.status(), a.toString());
    assertAnswer(400, "Host", http.send("GET /v1/jobs/j3 HTTP/1.1\r\n" + AUTH + "\r\n"));
  }

  @Test
  void badPercentEncodingsAndNamesAre400() throws IOException {
    assertAnswer(400, "malformed", http.send(get("/v1/jobs/%zz")));
    assertAnswer(400, "malformed", http.send(get("/v1/jobs/j1%")));
    assertAnswer(400, "decoding query", http.send(get("/v1/events?after=%zz")));
    assertAnswer(400, "decoding query", http.send(get("/v1/events?after=%")));
    assertAnswer(400, "not a job id", http.send(get("/v1/jobs/%2e%2e%2fetc")));
    assertAnswer(400, "not a job id", http.send(get("/v1/jobs/j%00")));
    assertAnswer(400, "not a job id", http.send(get("/v1/jobs/%C3%28")));
    assertAnswer(400, "not a job id", http.send(get("/v1/jobs/j123456789")));
    assertEquals("j7", http.send(get("/v1/jobs/%6A7")).json().getString("id"), "a valid encoding decodes");
  }

  @Test
  void numbersInTheQueryNeverWrap() throws IOException {
    assertEquals(5, http.send(get("/v1/events?after=5")).json().getLong("after"));
    assertAnswer(400, "'after' must be an integer from -1 to", http.send(get("/v1/events?after=9223372036854775807")));
    assertAnswer(400, "'after' must be an integer", http.send(get("/v1/events?after=18446744073709551621")));
    assertAnswer(400, "'after' must be an integer", http.send(get("/v1/events?after=1.5")));
    assertAnswer(400, "'after' must be an integer", http.send(get("/v1/events?after=-2")));
  }

  @Test
  void requestsThatAreNotHttpAreAnswered() throws IOException {
    assertAnswer(400, "malformed HTTP", http.send("GET /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
    assertAnswer(400, "malformed HTTP", http.send("\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n"));
    assertAnswer(414, "too long", http.send(get("/v1/jobs/" + "j".repeat(5000))));
    assertAnswer(431, "too long", http.send("GET /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\nX-Junk: " + "y".repeat(9000) + "\r\n\r\n"));
    RawHttp.Answer a = http.send("GET http://[::1 HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    assertTrue(a.status() >= 400 && a.status() < 500, a.toString());
  }

  @Test
  void unknownPathsAndMethodsAre4xxInJson() throws IOException {
    assertAnswer(404, "no such endpoint: GET /v2/nothing", http.send(get("/v2/nothing")));
    assertAnswer(405, "PUT is not allowed on /v1/jobs/j1", http.send("PUT /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 0\r\n\r\n"));
    assertAnswer(405, "is not allowed", http.send("BREW /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n"));
    RawHttp.Answer head = http.send("HEAD /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    assertEquals(405, head.status(), head.toString());
    assertEquals("", head.body());
  }

  @Test
  void onlyJsonBodiesAreRead() throws IOException {
    assertAnswer(415, "must be JSON", http.send(post("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"f\"; "
        + "filename=\"a\"\r\n\r\n" + "z".repeat(10_000) + "\r\n--b--\r\n")));
    assertAnswer(415, "must be JSON", http.send(post("application/x-www-form-urlencoded", "name=" + "%zz".repeat(1000))));
    assertAnswer(415, "must be JSON", http.send(post("text/plain", "{}")));
    // a GET carries no body the API reads, whatever it says it is
    RawHttp.Answer a = http.send("GET /v1/jobs/j1 HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Type: multipart/form-data; boundary=b\r\n"
        + "Content-Length: 5\r\n\r\n--b--");
    assertEquals(200, a.status(), a.toString());
  }

  @Test
  void malformedBodiesAre400() throws IOException {
    assertAnswer(400, "not a JSON object", http.send(post("application/json", "{not json")));
    assertAnswer(400, "not a JSON object but an array", http.send(post("application/json", "[1]")));
    assertAnswer(400, "not a JSON object but null", http.send(post("application/json", "null")));
    assertAnswer(400, "not a JSON object", http.send(post("application/json", "[".repeat(100_000))));
    assertAnswer(400, "not a JSON object", http.send(post("application/json", "{\"name\":\"x\",\"n\":1}{")));
    ByteArrayOutputStream badUtf8 = new ByteArrayOutputStream();
    badUtf8.writeBytes(("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 19\r\n\r\n{\"name\":\"")
        .getBytes(StandardCharsets.ISO_8859_1));
    badUtf8.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
    badUtf8.writeBytes("\",\"n\":1}".getBytes(StandardCharsets.ISO_8859_1));
    assertAnswer(400, "not valid UTF-8", http.send(badUtf8.toByteArray()));
  }

  @Test
  void fieldsOfTheWrongTypeOrRangeAre400NamingTheField() throws IOException {
    assertAnswer(400, "'n' must be an integer from 1 to 10, got 4294967299", http.send(post(null, "{\"name\":\"x\",\"n\":4294967299}")));
    assertAnswer(400, "'n' must be an integer from 1 to 10, got 1.5", http.send(post(null, "{\"name\":\"x\",\"n\":1.5}")));
    assertAnswer(400, "'n' must be an integer", http.send(post(null, "{\"name\":\"x\",\"n\":1e309}")));
    assertAnswer(400, "'n' must be an integer", http.send(post(null, "{\"name\":\"x\",\"n\":\"3\"}")));
    assertAnswer(400, "'name' must be a string, got 5", http.send(post(null, "{\"name\":5,\"n\":1}")));
    assertAnswer(400, "'name' is required", http.send(post(null, "{\"name\":null,\"n\":1}")));
    assertAnswer(400, "unknown field 'nme'", http.send(post(null, "{\"name\":\"x\",\"n\":1,\"nme\":2}")));
  }

  @Test
  void anOversizedBodyIs413() throws IOException {
    String big = "{\"name\":\"" + "x".repeat(ApiRouter.BODY_LIMIT) + "\",\"n\":1}";
    assertAnswer(413, "larger than", http.send(post(null, big)));
    StringBuilder chunked = new StringBuilder("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 20; i++) chunked.append(Integer.toHexString(100_000)).append("\r\n").append(" ".repeat(100_000)).append("\r\n");
    assertAnswer(413, "larger than", http.send(chunked.append("0\r\n\r\n").toString()));
  }

  @Test
  void aBodyThatNeverComesIs408() throws IOException {
    long t0 = System.nanoTime();
    assertAnswer(408, "did not arrive within 1 s", http.send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 100\r\n\r\n{\"na"));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void theClientsMistakeIs4xxAndTheGatewaysFaultIs500WithAnIncidentInTheLog() throws IOException {
    assertAnswer(409, "busy right now", http.send(get("/v1/busy")));
    List<LogRecord> log = new CopyOnWriteArrayList<>();
    Handler logged = new Handler() {
      @Override public void publish(LogRecord r) { log.add(r); }
      @Override public void flush() { }
      @Override public void close() { }
    };
    Logger.getLogger("tern.api").addHandler(logged);
    try {
      RawHttp.Answer fault = http.send(get("/v1/boom"));
      assertAnswer(500, "incident", fault);
      String incident = fault.json().getString("incident");
      assertTrue(incident.matches("[0-9a-f]{8}"), fault.toString());
      assertTrue(fault.error().contains(incident), fault.toString());
      assertFalse(fault.body().contains("kaput"), "the cause stays in the log: " + fault);
      assertTrue(log.stream().anyMatch(r -> r.getMessage().contains("incident " + incident) && r.getMessage().contains("GET /v1/boom")
          && r.getThrown() != null && "kaput".equals(r.getThrown().getMessage())), "the log has the incident with its cause");
    } finally {
      Logger.getLogger("tern.api").removeHandler(logged);
    }
  }
}
