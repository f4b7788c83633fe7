package tern.e2e;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab gateway as the admin page's browser sees it: a session cookie, the anti-forgery token, no redirects followed. */
final class PageClient {
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;
  String cookie;
  String csrf;

  PageClient() {
    try {
      base = URI.create(lab().getString("url"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static JsonObject lab() throws IOException { return new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json"))); }

  static String adminToken() throws IOException { return Files.readString(Path.of(lab().getString("tokenFile"))).trim(); }

  /** Signs in with the token; keeps the cookie and the anti-forgery token of a session it opens. */
  HttpResponse<String> login(String token) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/ui/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", token).encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) {
      Matcher m = Pattern.compile("tern_session=([^;]*)").matcher(r.headers().firstValue("Set-Cookie").orElse(""));
      if (!m.find()) throw new AssertionError("no session cookie in " + r.headers().map());
      cookie = m.group(1);
      csrf = new JsonObject(r.body()).getString("csrf");
    }
    return r;
  }

  /** A request with the session's cookie, and the anti-forgery token when withCsrf. */
  HttpResponse<String> send(String method, String path, String body, boolean withCsrf) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    if (cookie != null) b.header("Cookie", "tern_session=" + cookie);
    if (withCsrf && csrf != null) b.header("X-Tern-CSRF", csrf);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception { return send("GET", path, null, false); }

  /** A GET with the admin token, as the client sends it; the answer's body. */
  static String withToken(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(lab().getString("url")).resolve(path))
        .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    return r.body();
  }

  /** Opens the push stream with the session's cookie (and Last-Event-ID, unless null). */
  EventStream stream(String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/ui/stream")).header("Cookie", "tern_session=" + cookie)
        .header("Accept", "text/event-stream");
    if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
    HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) throw new AssertionError("the stream answered " + r.statusCode() + ": " + new String(r.body().readAllBytes()));
    return new EventStream(r.body());
  }
}
