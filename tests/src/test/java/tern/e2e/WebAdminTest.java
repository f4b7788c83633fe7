package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * The admin page in a real browser (Debian's chromium, headless) against the lab's gateway: issue 10's
 * acceptance list. Every change the page makes is checked with the client too.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
class WebAdminTest {
  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
  private static final Set<String> ENDED = Set.of("exited", "killed", "failed");
  private static final Set<String> PHASES = Set.of("starting", "announce", "prepare", "dump+transfer", "restore", "resume");
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static String url;
  private static String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void gateway() throws Exception {
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    url = client.getString("url");
    token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
  }

  @Test
  void aWrongTokenIsRefusedTheRightOneShowsTheNodesWithinTwoSecondsAndLogoutEndsTheSession() throws Exception {
    try (Browser b = new Browser(url, Browser.Size.DESKTOP)) {
      b.login(token + "x");
      String refusal = b.await(TWO_SECONDS, d -> {
        WebElement e = b.byTestId("login-error");
        return e.isDisplayed() && !e.getText().isBlank() ? e.getText() : null;
      }, "a wrong token shows the gateway's refusal");
      assertTrue(refusal.contains("wrong admin token"), refusal);
      assertTrue(b.driver.getCurrentUrl().endsWith("/login"), b.driver.getCurrentUrl());
      assertNull(b.sessionCookie(), "a refused sign-in sets no session cookie");

      long t0 = System.nanoTime();
      b.login(token);
      b.await(TWO_SECONDS, d -> NODES.stream().allMatch(n -> b.has("node-" + n)), "the lab's nodes n1, n2, n3 on the overview");
      System.out.println("WebAdminTest: signed in and saw the nodes in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      for (String n : NODES) assertEquals("up", b.byTestId("node-state-" + n).getText(), "state of " + n);

      Cookie session = b.sessionCookie();
      assertTrue(session != null && session.isHttpOnly(), "the session cookie is HttpOnly: " + session);
      assertEquals(200, withCookie(session, "GET", "/ui/session", null, null).statusCode(), "the cookie works while signed in");

      b.byTestId("logout").click();
      b.await(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/login") ? true : null, "logout leads to the login page");
      assertEquals(401, withCookie(session, "GET", "/ui/session", null, null).statusCode(), "the old cookie after logout");
      assertEquals(401, withCookie(session, "GET", "/v1/nodes", null, null).statusCode(), "the API with the old cookie after logout");
      b.open("/");
      assertTrue(b.driver.getCurrentUrl().endsWith("/login"), "the page without a session sends to the login: " + b.driver.getCurrentUrl());
    }
  }

  @Test
  void aDetachedJobAppearsWithinTwoSecondsWithoutReloadAndKillingItFromThePageEndsIt() throws Exception {
    try (Browser b = signedIn(Browser.Size.DESKTOP)) {
      b.go("#/jobs");
      b.await(TWO_SECONDS, d -> b.has("jobs-table"), "the jobs table");
      markPage(b);
      String id = Lab.start(Lab.workDir("web"), null, "sleep", "1000");
      long t0 = System.nanoTime();
      b.await(TWO_SECONDS, d -> b.has("job-" + id), id + " in the jobs table");
      System.out.println("WebAdminTest: " + id + " in the table " + (System.nanoTime() - t0) / 1_000_000 + " ms after tern run --detach");
      assertEquals("running", b.await(TWO_SECONDS, d -> "running".equals(b.byTestId("job-state-" + id).getText()) ? "running" : null,
          id + " running in the table"));

      b.byTestId("kill-" + id).click();
      WebElement dialog = b.byTestId("kill-dialog");
      assertTrue(dialog.getText().contains(id), "the kill dialog names the job: " + dialog.getText());
      b.byTestId("confirm").click();
      waitUntil(() -> ENDED.contains(Lab.job(id).getString("state")), 30, () -> id + " is still " + Lab.job(id).getString("state"));
      assertEquals("killed", Lab.job(id).getString("state"), "tern ps after the page's kill");
      b.await(Duration.ofSeconds(5), d -> !b.has("job-" + id) ? true : null, id + " leaves the table of jobs not ended");
      String notice = b.await(Duration.ofSeconds(5), d -> text(b, "notice-text"), "the kill's outcome");
      assertEquals("kill " + id + ": done", notice);
      assertPageNotReloaded(b);
    }
  }

  @Test
  void aJobStartedFromThePageRunsAsThePagesUnprivilegedUserWhereItWasAskedToAndTheClientListsIt() throws Exception {
    try (Browser b = signedIn(Browser.Size.DESKTOP)) {
      JsonObject defaults = new JsonObject((String) b.driver.executeAsyncScript(
          "const done = arguments[arguments.length - 1]; fetch('/ui/session').then(r => r.text()).then(done, e => done(String(e)));"))
          .getJsonObject("defaults");
      b.go("#/jobs");
      b.await(TWO_SECONDS, d -> b.has("start-job"), "the start button");
      Set<String> before = Lab.jobs().keySet();
      b.byTestId("start-job").click();
      b.byTestId("start-command").sendKeys("sleep 1000");
      new org.openqa.selenium.support.ui.Select(b.byTestId("start-node")).selectByValue("n3");
      b.byTestId("confirm").click();
      String notice = b.await(Duration.ofSeconds(30), d -> text(b, "notice-text"), "the start's outcome");
      assertEquals("start sleep 1000: done", notice);
      JsonObject job = Lab.jobs().values().stream().filter(j -> !before.contains(j.getString("id"))).findFirst()
          .orElseThrow(() -> new AssertionError("tern ps lists no new job"));
      assertEquals(new JsonArray().add("sleep").add("1000"), job.getJsonArray("argv"));
      assertEquals("n3", job.getString("node"));
      assertEquals("running", job.getString("state"));
      assertEquals(defaults.getLong("uid"), job.getLong("uid"), "the job runs as the page's user");
      assertTrue(job.getLong("uid") != 0 && job.getLong("gid") != 0, "never as root: " + job.encode());
      b.await(TWO_SECONDS, d -> b.has("job-" + job.getString("id")), "the new job in the table");
    }
  }

  @Test
  void migratingFromThePageShowsThePhaseInFlightTheNewNodeAndTheFreezeTimeAsTheClientDoes() throws Exception {
    Path dir = Lab.workDir("web-migrate");
    // memory enough for seconds of transfer at 100 Mbit/s: the phase in flight is there to be seen
    String id = Lab.start(dir, "n1", Lab.PYTHON, Lab.JOBS.resolve("memhog.py").toString(), "96", "random", dir.resolve("ready").toString());
    waitUntil(() -> Files.exists(dir.resolve("ready")), 60, () -> "memhog never got its memory");
    try (Browser b = signedIn(Browser.Size.DESKTOP)) {
      b.go("#/jobs");
      b.await(TWO_SECONDS, d -> "n1".equals(text(b, "job-node-" + id)) ? true : null, id + " on n1 in the table");
      markPage(b);
      b.byTestId("migrate-" + id).click();
      b.await(Duration.ofSeconds(5), d -> b.has("target-n2"), "the migrate dialog's targets");
      assertTrue(b.byTestId("migrate-dialog").getText().contains(id), "the dialog names the job");
      b.byTestId("target-n2").findElement(By.tagName("input")).click();
      b.byTestId("confirm").click();

      b.go("#/migrations");
      List<String> phasesSeen = new ArrayList<>();
      b.await(Duration.ofSeconds(60), d -> {
        for (WebElement e : d.findElements(By.cssSelector("[data-testid^='in-flight-phase-']"))) {
          String p = e.getText();
          if (phasesSeen.isEmpty() || !phasesSeen.get(phasesSeen.size() - 1).equals(p)) phasesSeen.add(p);
        }
        return !phasesSeen.isEmpty() && b.has("in-flight-none") ? true : null;
      }, "the migration in flight, then none");
      System.out.println("WebAdminTest: phases seen in flight: " + phasesSeen);
      assertTrue(PHASES.containsAll(phasesSeen), "phases: " + phasesSeen);

      JsonObject m = lastMigrationOf(id);
      assertEquals("committed", m.getString("state"), "tern migrations: " + m.encode());
      long freezeMs = m.getLong("freezeMs");
      // as the page writes a duration (format.js ms()): toFixed rounds the double's exact binary value
      double seconds = freezeMs / 1000.0;
      String expected = freezeMs < 1000 ? freezeMs + " ms"
          : new java.math.BigDecimal(seconds).setScale(freezeMs < 10_000 ? 2 : 1, java.math.RoundingMode.HALF_UP).toPlainString() + " s";
      // the record is committed a moment before its freeze time is written: the page shows it once it has it
      String[] shown = {""};
      try {
        b.await(Duration.ofSeconds(10), d -> expected.equals(shown[0] = text(b, "freeze-" + m.getString("id"))), "the freeze time in the history");
      } catch (org.openqa.selenium.TimeoutException e) {
        assertEquals(expected, shown[0], "freeze time on the page against tern migrations' " + freezeMs + " ms");
      }

      b.go("#/jobs");
      b.await(TWO_SECONDS, d -> "n2".equals(text(b, "job-node-" + id)) ? true : null, id + " on n2 in the table");
      assertEquals("n2", Lab.job(id).getString("node"), "tern ps");
      assertPageNotReloaded(b);
    }
  }

  @Test
  void drainingAndUndrainingFromThePageShowsInTheClientAndADrainingNodeIsNoMigrationTarget() throws Exception {
    String id = Lab.start(Lab.workDir("web-drain"), "n1", "sleep", "1000");
    try (Browser b = signedIn(Browser.Size.DESKTOP)) {
      markPage(b);
      b.byTestId("drain-n2").click();
      assertTrue(b.byTestId("drain-dialog").getText().contains("n2"), "the dialog names the node");
      b.byTestId("confirm").click();
      b.await(Duration.ofSeconds(5), d -> b.byTestId("node-state-n2").getText().startsWith("draining") ? true : null, "n2 draining on the page");
      assertEquals("draining", node("n2").getString("state"), "tern nodes after the page's drain");

      b.go("#/jobs");
      b.await(TWO_SECONDS, d -> b.has("migrate-" + id), id + " in the table");
      b.byTestId("migrate-" + id).click();
      WebElement n2 = b.await(Duration.ofSeconds(5), d -> b.has("target-n2") ? b.byTestId("target-n2") : null, "the migrate dialog's targets");
      assertFalse(n2.findElement(By.tagName("input")).isEnabled(), "a draining node cannot be chosen");
      assertTrue(n2.getText().contains("draining"), "its reason is given: " + n2.getText());
      assertFalse(b.byTestId("target-n1").findElement(By.tagName("input")).isEnabled(), "nor the job's own node");
      b.byTestId("cancel").click();
      assertEquals("n1", Lab.job(id).getString("node"), "a cancelled dialog moves nothing");

      b.go("#/overview");
      b.await(TWO_SECONDS, d -> b.has("undrain-n2"), "n2's undrain button");
      b.byTestId("undrain-n2").click();
      b.byTestId("confirm").click();
      b.await(Duration.ofSeconds(5), d -> "up".equals(b.byTestId("node-state-n2").getText()) ? true : null, "n2 up on the page");
      assertEquals("up", node("n2").getString("state"), "tern nodes after the page's undrain");
      assertPageNotReloaded(b);
    } finally {
      Lab.tern("undrain", "n2");
    }
  }

  @Test
  void aStateChangingRequestWithTheCookieButNoAntiForgeryTokenGets403AndChangesNothing() throws Exception {
    String id = Lab.start(Lab.workDir("web-csrf"), "n1", "sleep", "1000");
    try (Browser b = signedIn(Browser.Size.DESKTOP)) {
      Cookie session = b.sessionCookie();
      List<HttpResponse<String>> refused = List.of(
          withCookie(session, "POST", "/v1/nodes/n3/drain", "{}", null),
          withCookie(session, "POST", "/v1/nodes/n3/drain", "{}", "not-the-token"),
          withCookie(session, "DELETE", "/v1/jobs/" + id, null, null),
          withCookie(session, "POST", "/v1/jobs/" + id + "/migrate", "{\"to\":\"n2\"}", null),
          withCookie(session, "POST", "/v1/balance", "{\"enabled\":true}", null));
      for (HttpResponse<String> r : refused) {
        assertEquals(403, r.statusCode(), r.request().method() + " " + r.request().uri() + ": " + r.body());
        assertTrue(new JsonObject(r.body()).getString("error").contains("X-Tern-CSRF"), r.body());
      }
      assertEquals("up", node("n3").getString("state"), "n3 not drained");
      JsonObject job = Lab.job(id);
      assertEquals("running", job.getString("state"), "the job not killed");
      assertEquals("n1", job.getString("node"), "the job not moved");
      assertFalse(Lab.tern("balance", "-o", "json").ok().json().getBoolean("enabled"), "the balancer still off");
      assertEquals(200, withCookie(session, "GET", "/v1/jobs/" + id, null, null).statusCode(), "a GET needs no anti-forgery token");
    } finally {
      // the lab's tests move jobs by hand: whatever happened, the balancer stays off and n3 takes jobs
      Lab.tern("balance", "off");
      Lab.tern("undrain", "n3");
    }
  }

  @Test
  void everyViewIsScreenshotAtBothSizesAndAnUnknownJobIsAPage() throws Exception {
    // a job that writes output and has moved once: its view and the migrations view have something to show
    String id = Lab.start(Lab.workDir("web-shots"), "n1", "/bin/sh", "-c", "i=0; while true; do i=$((i+1)); echo \"line $i\"; sleep 0.5; done");
    Lab.migrate(id, "n2");
    for (Browser.Size size : Browser.Size.BOTH) {
      try (Browser b = new Browser(url, size)) {
        b.open("/login");
        b.await(TWO_SECONDS, d -> b.has("login-form"), "the login form");
        b.screenshot("login");
        b.login(token);
        b.await(TWO_SECONDS, d -> b.has("node-n1"), "the overview");
        b.screenshot("overview");
        for (String[] view : List.of(new String[] {"#/jobs", "jobs-table", "jobs"}, new String[] {"#/jobs/" + id, "output", "job"},
            new String[] {"#/migrations", "view-migrations", "migrations"}, new String[] {"#/log", "audit-list", "log"})) {
          b.go(view[0]);
          b.await(TWO_SECONDS, d -> b.has(view[1]), "the view " + view[0]);
          if (view[2].equals("job")) {
            b.await(Duration.ofSeconds(5), d -> text(b, "output"), "the job's output");
            b.script("arguments[0].scrollIntoView({block: 'end'})", b.byTestId("output"));
          }
          if (view[2].equals("migrations")) {
            b.await(Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("[data-testid='freeze-chart'] canvas")).isEmpty() ? null : true,
                "the freeze chart drawn (uPlot loaded)");
          }
          b.screenshot(view[2]);
        }
        b.go("#/jobs/j99999");
        String unknown = b.await(TWO_SECONDS, d -> text(b, "unknown-job"), "the unknown job's page");
        assertTrue(unknown.contains("unknown job j99999"), unknown);
        assertFalse(b.has("output"), "the unknown job's page shows no job");
        b.screenshot("unknown-job");
      }
    }
    for (String view : List.of("login", "overview", "jobs", "job", "migrations", "log", "unknown-job")) {
      for (Browser.Size size : Browser.Size.BOTH) {
        Path shot = Browser.SCREENSHOTS.resolve(view + "-" + size.label() + ".png");
        assertTrue(Files.size(shot) > 5_000, shot + " is written");
      }
    }
  }

  private Browser signedIn(Browser.Size size) { return Browser.signedIn(url, token, size); }

  /** A mark in the page's window that a reload would wipe. */
  private static void markPage(Browser b) { b.script("window.ternNoReload = 'still here'"); }

  private static void assertPageNotReloaded(Browser b) {
    assertEquals("still here", b.script("return window.ternNoReload"), "the page was reloaded");
  }

  /** The element's text, or null while it is not there or empty (for waits). */
  private static String text(Browser b, String testId) {
    List<WebElement> found = b.allByTestId(testId);
    if (found.isEmpty()) return null;
    String t = found.get(0).getText();
    return t.isBlank() ? null : t;
  }

  private static JsonObject node(String name) {
    for (Object o : Lab.tern("nodes", "-o", "json").ok().jsonArray()) {
      if (name.equals(((JsonObject) o).getString("name"))) return (JsonObject) o;
    }
    throw new AssertionError("tern nodes does not list " + name);
  }

  private static JsonObject lastMigrationOf(String job) {
    JsonArray all = Lab.tern("migrations", "-o", "json").ok().jsonArray();
    JsonObject last = null;
    for (Object o : all) {
      if (job.equals(((JsonObject) o).getString("jobId"))) last = (JsonObject) o;
    }
    if (last == null) throw new AssertionError("tern migrations lists no migration of " + job + ": " + all.encode());
    return last;
  }

  /** A request with the page's session cookie, as a forged cross-site request or a logged-out tab would send it. */
  private HttpResponse<String> withCookie(Cookie session, String method, String path, String body, String csrf) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
        .header("Cookie", session.getName() + "=" + session.getValue())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) r.header("Content-Type", "application/json");
    if (csrf != null) r.header("X-Tern-CSRF", csrf);
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
