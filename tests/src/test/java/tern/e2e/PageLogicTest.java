package tern.e2e;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The admin page's pure modules (what it holds of the cluster, how it reads a command line, how it writes
 * figures) in the browser that runs them, served from the source tree: no lab, no gateway.
 */
class PageLogicTest {
  private static final Path PAGE = Lab.ROOT.resolve("web-ui/src/main/resources/tern/web");
  private static HttpServer server;
  private static Browser browser;

  @BeforeAll
  static void servePage() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Path file = PAGE.resolve(path.substring(1)).normalize();
      byte[] body = path.equals("/") ? "<!doctype html><title>modules</title>".getBytes(StandardCharsets.UTF_8)
          : file.startsWith(PAGE.resolve("assets")) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      exchange.getResponseHeaders().add("Content-Type", path.endsWith(".js") ? "text/javascript" : "text/html");
      // the gateway's policy: the modules must run under it
      exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'");
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    browser = new Browser("http://127.0.0.1:" + server.getAddress().getPort(), Browser.Size.DESKTOP);
    browser.open("/");
    Object loaded = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "Promise.all(['cluster', 'commandline', 'format'].map(m => import('/assets/' + m + '.js')))"
        + ".then(([cluster, commandline, format]) => { window.page = { cluster, commandline, format }; done('loaded'); },"
        + " e => done(String(e)));");
    assertEquals("loaded", loaded, "the page's modules load in the browser");
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (server != null) server.stop(0);
  }

  /** What a JavaScript expression over window.page gives, through JSON. */
  private static Object eval(String expression) {
    Object json = browser.script("try { return JSON.stringify(" + expression + "); } catch (e) { return JSON.stringify({thrown: e.message}); }");
    return Json.decodeValue((String) json);
  }

  private static final String SNAPSHOT = "page.cluster.fromSnapshot({at: 1000000, nodes: [{name: 'n1', state: 'up'}, {name: 'n2', state: 'up'}],"
      + " jobs: [{id: 'j1', node: 'n1', state: 'running', cpu: 0.5, argv: ['sleep', '9'], migrationId: 'm1'},"
      + " {id: 'j2', node: 'n2', state: 'running'}],"
      + " migrations: [], events: [{seq: 1}], audit: [], balance: {enabled: false},"
      + " cpuHistory: {n1: [[300000, 0.1], [500000, 0.2], [990000, 0.3]]}})";

  @Test
  void aDeltaChangesOnlyTheJobFieldsItCarriesAndDropsWhatItSaysIsGone() {
    JsonObject s = (JsonObject) eval("page.cluster.merge(" + SNAPSHOT + ", {at: 1001000,"
        + " jobs: {j1: {node: 'n2', cpu: 0.25, migrationId: null}, j3: {id: 'j3', state: 'starting'}}, jobsGone: ['j2'],"
        + " nodes: {n3: {name: 'n3', state: 'draining'}}, nodesGone: ['n2'], events: [{seq: 2}]})");
    JsonObject j1 = s.getJsonObject("jobs").getJsonObject("j1");
    assertEquals("n2", j1.getString("node"));
    assertEquals(0.25, j1.getDouble("cpu"));
    assertEquals("running", j1.getString("state"), "a field the delta does not carry stays");
    assertEquals(new JsonArray().add("sleep").add("9"), j1.getJsonArray("argv"));
    assertFalse(j1.containsKey("migrationId"), "a field that comes as null is gone: " + j1.encode());
    assertEquals("[j1, j3]", s.getJsonObject("jobs").fieldNames().stream().sorted().toList().toString());
    assertEquals("[n1, n3]", s.getJsonObject("nodes").fieldNames().stream().sorted().toList().toString());
    assertEquals(2, s.getJsonArray("events").size());
    assertEquals(1001000L, s.getLong("at"));
  }

  @Test
  void aPcThatStartsToWaitIsHeldByItsMacBesideANodeOfItsNameAndLeavesWhenTheDeltaSaysItIsGone() {
    String waiting = "page.cluster.merge(" + SNAPSHOT + ", {at: 1001000,"
        + " pending: {'52:54:00:00:00:a9': {mac: '52:54:00:00:00:a9', name: 'n1', state: 'pending', firstSeen: 1000500}}})";
    JsonObject s = (JsonObject) eval(waiting);
    assertEquals("pending", s.getJsonObject("pending").getJsonObject("52:54:00:00:00:a9").getString("state"));
    assertEquals("up", s.getJsonObject("nodes").getJsonObject("n1").getString("state"), "a waiting PC is no node, whatever its name");
    assertEquals(new JsonArray().add("52:54:00:00:00:a9"), eval("page.cluster.pendingList(" + waiting + ").map(p => p.mac)"));
    JsonObject accepted = (JsonObject) eval("page.cluster.merge(" + waiting + ", {at: 1002000, pendingGone: ['52:54:00:00:00:a9']})");
    assertEquals(new JsonObject(), accepted.getJsonObject("pending"));
  }

  @Test
  void aNodesCpuHistoryKeepsTenMinutesAndTakesEachNewPoint() {
    JsonObject s = (JsonObject) eval("page.cluster.merge(" + SNAPSHOT + ", {at: 1000000 + 200000, cpu: {n1: [1200000, 0.4], n2: [1200000, 0.05]}})");
    assertEquals(new JsonArray("[[990000, 0.3], [1200000, 0.4]]"), s.getJsonObject("cpuHistory").getJsonArray("n1"),
        "points older than 10 minutes before the delta are dropped");
    assertEquals(new JsonArray("[[1200000, 0.05]]"), s.getJsonObject("cpuHistory").getJsonArray("n2"));
  }

  @Test
  void aDeltaWithoutAKeyLeavesThatPartAsItWas() {
    JsonObject before = (JsonObject) eval(SNAPSHOT);
    JsonObject after = (JsonObject) eval("page.cluster.merge(" + SNAPSHOT + ", {at: 1001000})");
    after.put("at", before.getLong("at"));
    assertEquals(before, after);
  }

  @Test
  void aCommandLineSplitsIntoWordsAsAShellWouldForQuotes() {
    assertEquals(new JsonArray("[\"python3\", \"-c\", \"print('a b')\", \"x y\", \"ab c\"]"),
        eval("page.commandline.words(\"python3  -c \\\"print('a b')\\\" 'x y' a\\\"b c\\\"\")"));
    assertEquals(new JsonObject().put("thrown", "a quote (') is not closed"), eval("page.commandline.words(\"echo it's\")"));
    assertEquals(new JsonArray(), eval("page.commandline.words('   ')"));
  }

  @Test
  void exposedPortsReadAsPortOrPortColonPublicAndAnythingElseIsRefused() {
    assertEquals(new JsonArray("[{\"port\": 8000}, {\"port\": 9000, \"public\": 19000}]"), eval("page.commandline.portList('8000, 9000:19000')"));
    assertEquals(new JsonObject().put("thrown", "'http' is not a port or PORT:PUBLIC"), eval("page.commandline.portList('8000 http')"));
  }

  @Test
  void figuresReadAsPeopleWriteThemAndJobIdsSortByTheirNumber() {
    assertEquals(new JsonArray("[\"1.5 KiB\", \"100 MiB\", \"999 ms\", \"1.50 s\", \"12.3 s\", \"5 min 3 s\", \"–\"]"),
        eval("[page.format.bytes(1536), page.format.bytes(100 * 1048576), page.format.ms(999), page.format.ms(1500),"
            + " page.format.ms(12345), page.format.age(303), page.format.age(NaN)]"));
    assertEquals(new JsonArray("[\"j2\", \"j10\", \"j100\"]"),
        eval("page.format.sortBy([{id: 'j10'}, {id: 'j100'}, {id: 'j2'}], 'id', false).map(j => j.id)"));
  }
}
