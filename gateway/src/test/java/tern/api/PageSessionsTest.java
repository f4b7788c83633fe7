package tern.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tern.web.PageFiles;
import tern.web.Sessions;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's sign-in, its cookie and anti-forgery rules, and its files, on loopback with a route that counts its changes. */
class PageSessionsTest {
  static final String TOKEN = "0123456789abcdef-test";
  static final Vertx VERTX = Vertx.vertx();
  final AtomicInteger changes = new AtomicInteger();
  final List<String> audit = new CopyOnWriteArrayList<>();
  RawHttp http;

  @BeforeEach
  void listen() throws Exception {
    Sessions sessions = new Sessions(3_600_000);
    ApiRouter.Audit trail = (action, target, from, via, outcome) -> audit.add(action + " " + target + " " + via + " " + outcome);
    ApiRouter api = new ApiRouter(VERTX, TOKEN, sessions, trail, Duration.ofSeconds(1), () -> true);
    PageFiles files = new PageFiles();
    api.serve("/", ctx -> files.page(ctx, "index.html"));
    api.serve("/login", ctx -> files.page(ctx, "login.html"));
    api.serve("/assets/*", files::asset);
    new PageSessions(TOKEN, sessions, trail, new JsonObject().put("uid", 65534)).routes(api);
    api.get("/v1/count", r -> new JsonObject().put("changes", changes.get()));
    api.post("/v1/count", 200, "count", r -> new JsonObject().put("changes", changes.incrementAndGet()));
    api.get("/metrics", r -> new ApiRouter.Text("text/plain", "x 1\n"));
    api.serve("/ui/stream", ctx -> ctx.fail(new IllegalStateException("a stream opened without a session")));
    int port = api.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    http = new RawHttp(port);
  }

  @AfterAll
  static void close() { VERTX.close().toCompletionStage().toCompletableFuture().join(); }

  RawHttp.Answer login(String token) throws IOException {
    String body = new JsonObject().put("token", token).encode();
    return http.send("POST /ui/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
  }

  static String cookie(RawHttp.Answer a) {
    Matcher m = Pattern.compile("(?i)set-cookie: tern_session=([^;\\r\\n]*)").matcher(a.headers());
    assertTrue(m.find(), a.toString());
    return m.group(1);
  }

  RawHttp.Answer send(String method, String path, String cookie, String csrf) throws IOException {
    return http.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + (cookie == null ? "" : "Cookie: tern_session=" + cookie + "\r\n")
        + (csrf == null ? "" : "X-Tern-CSRF: " + csrf + "\r\n") + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n");
  }

  @Test
  void aRightTokenOpensASessionWhoseCookieReadsButChangesOnlyWithTheAntiForgeryToken() throws IOException {
    RawHttp.Answer in = login(TOKEN);
    assertEquals(200, in.status(), in.toString());
    String h = in.headers().toLowerCase();
    for (String flag : List.of("httponly", "samesite=strict", "path=/", "max-age=")) assertTrue(h.contains(flag), flag + ": " + in);
    assertFalse(h.contains("secure"), "no Secure flag over plain HTTP: " + in);
    String cookie = cookie(in);
    String csrf = in.json().getString("csrf");

    assertEquals(200, send("GET", "/v1/count", cookie, null).status());
    RawHttp.Answer forged = send("POST", "/v1/count", cookie, null);
    assertEquals(403, forged.status(), forged.toString());
    assertEquals("missing or wrong anti-forgery token (X-Tern-CSRF)", forged.error());
    assertEquals(403, send("POST", "/v1/count", cookie, csrf + "x").status());
    assertEquals(0, changes.get(), "nothing changed");
    assertEquals(200, send("POST", "/v1/count", cookie, csrf).status());
    assertEquals(1, changes.get());
    assertTrue(audit.contains("count null session ok"), audit.toString());

    RawHttp.Answer session = send("GET", "/ui/session", cookie, null);
    assertEquals(csrf, session.json().getString("csrf"));
    assertEquals(65534, session.json().getJsonObject("defaults").getInteger("uid"));
    assertEquals(401, send("GET", "/metrics", cookie, csrf).status(), "metrics take the token only");

    assertEquals(403, send("POST", "/ui/logout", cookie, null).status(), "a logout needs the anti-forgery token too");
    RawHttp.Answer out = send("POST", "/ui/logout", cookie, csrf);
    assertEquals(200, out.status(), out.toString());
    assertTrue(out.headers().toLowerCase().contains("max-age=0"), out.toString());
    assertEquals(401, send("GET", "/v1/count", cookie, null).status(), "the session is gone");
    assertEquals(401, send("GET", "/ui/session", cookie, null).status());
    assertEquals(List.of("login null session ok", "count null session ok", "logout null session ok"), audit);
  }

  @Test
  void wrongTokensAreRefusedAndAfterFiveTheAddressMustWait() throws IOException {
    for (int i = 0; i < 5; i++) {
      RawHttp.Answer a = login("wrong-token-" + i);
      assertEquals(401, a.status(), a.toString());
      assertEquals("wrong admin token", a.error());
    }
    RawHttp.Answer held = login(TOKEN);
    assertEquals(429, held.status(), held.toString());
    assertTrue(held.headers().toLowerCase().contains("retry-after: 300"), held.toString());
    assertTrue(held.error().contains("too many wrong admin tokens"), held.toString());
  }

  @Test
  void thePageRedirectsToTheLoginWithoutASessionAndIsServedWithItsSecurityHeaders() throws IOException {
    RawHttp.Answer page = send("GET", "/", null, null);
    assertEquals(303, page.status(), page.toString());
    assertTrue(page.headers().toLowerCase().contains("location: /login"), page.toString());
    assertEquals(303, send("GET", "/", "not-a-session", null).status());
    RawHttp.Answer loginPage = send("GET", "/login", null, null);
    assertEquals(200, loginPage.status(), loginPage.toString());
    assertTrue(loginPage.headers().contains("Content-Security-Policy: " + PageFiles.CSP), loginPage.toString());
    assertTrue(loginPage.headers().toLowerCase().contains("x-content-type-options: nosniff"), loginPage.toString());
    assertTrue(loginPage.headers().toLowerCase().contains("referrer-policy: no-referrer"), loginPage.toString());
    assertEquals(200, send("GET", "/", cookie(login(TOKEN)), null).status());
    assertEquals(401, send("GET", "/ui/stream", null, null).status());
  }

  @Test
  void theLibrariesAreServedFromTheirJarsRevalidatedByETagAndGzipped() throws IOException {
    for (String lib : List.of("uPlot.iife.min.js", "uPlot.min.css", "preact-htm.js")) {
      RawHttp.Answer a = send("GET", "/assets/lib/" + lib, null, null);
      assertEquals(200, a.status(), lib + ": " + a.headers());
      assertTrue(a.headers().toLowerCase().contains("cache-control: no-cache"), a.headers());
      Matcher etag = Pattern.compile("(?i)etag: (\"[0-9a-f]+\")").matcher(a.headers());
      assertTrue(etag.find(), a.headers());
      RawHttp.Answer again = http.send("GET /assets/lib/" + lib + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + "If-None-Match: " + etag.group(1) + "\r\n\r\n");
      assertEquals(304, again.status(), again.headers());
      assertEquals("", again.body());
    }
    RawHttp.Answer zipped = http.send("GET /assets/lib/uPlot.iife.min.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n");
    assertTrue(zipped.headers().toLowerCase().contains("content-encoding: gzip"), zipped.headers());
    assertTrue(zipped.headers().toLowerCase().contains("content-type: text/javascript"), zipped.headers());
  }

  @Test
  void thePagesRoutesUnderAnotherSpellingOfTheirPathStillWantASessionNotTheToken() throws IOException {
    for (String target : List.of("//ui/session", "/%75i/session", "/ui/./session", "http://x/ui/session", "//ui/stream", "/%75i/stream")) {
      RawHttp.Answer a = http.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
      assertEquals(401, a.status(), target + ": " + a);
    }
  }

  @Test
  void anUnknownOrCraftedAssetPathIsA404WithJson() throws IOException {
    for (String path : List.of("/assets/nothing.js", "/assets/../login.html", "/assets/%2e%2e/index.html", "/assets/.hidden", "/assets/lib/x.js",
        "/assets/lib/../../tern/web/index.html", "/assets/a//b")) {
      RawHttp.Answer a = send("GET", path, null, null);
      // a path that leaves /assets/ once resolved is no asset: 401 then, as any path outside the public ones
      assertTrue(a.status() == 404 || a.status() == 400 || a.status() == 401 && (path.contains("..") || path.contains("%2e")), path + ": " + a);
      assertTrue(a.headers().toLowerCase().contains("application/json"), path + ": " + a);
    }
  }

  @Test
  void theAssetsFolderItselfIsA404NotAnError() throws IOException {
    // the route /assets/* also matches /assets; the fuzzer found it answered 500 (seed 1795788793718)
    String cookie = cookie(login(TOKEN));
    for (String path : List.of("/assets", "/assets?/lib/uPlot.min.css?job=%zz", "/assets/")) {
      RawHttp.Answer a = send("GET", path, cookie, null);
      assertEquals(404, a.status(), path + ": " + a);
    }
  }
}
