package tern.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import tern.json.JsonFields;
import tern.request.RequestError;
import tern.web.LoginLimiter;
import tern.web.Sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * The page's sign-in: POST /ui/login with the admin token opens a session (its id in an HttpOnly,
 * SameSite=Strict cookie; its anti-forgery token in the answer, for the page's script only), POST
 * /ui/logout ends it, GET /ui/session tells the page what it holds. Every login, failed login and
 * logout goes into the audit; wrong tokens from one address are limited ({@link LoginLimiter}).
 */
final class PageSessions {
  private final byte[] token;
  private final Sessions sessions;
  private final LoginLimiter limiter = new LoginLimiter();
  private final ApiRouter.Audit audit;
  private final JsonObject defaults;

  /** defaults: who a job started from the page runs as ({"uid", "gid", "cwd"}). */
  PageSessions(String adminToken, Sessions sessions, ApiRouter.Audit audit, JsonObject defaults) {
    this.token = adminToken.getBytes(StandardCharsets.UTF_8);
    this.sessions = sessions;
    this.audit = audit;
    this.defaults = defaults;
  }

  void routes(ApiRouter api) {
    api.post("/ui/login", 200, this::login);
    api.post("/ui/logout", 200, this::logout);
    api.get("/ui/session", r -> {
      Sessions.Session s = r.session();
      return new JsonObject().put("csrf", s.csrf()).put("expiresAt", s.expiresAt()).put("defaults", defaults.copy());
    });
  }

  private Object login(ApiRequest r) {
    String from = r.remoteAddress();
    String host = r.remoteHost();
    long now = System.currentTimeMillis();
    long wait = limiter.waitMillis(host, now);
    if (wait > 0) {
      audit.record("login failed", null, from, null, "refused: too many wrong tokens");
      return new ApiRouter.Reply(429, new JsonObject().put("error", "too many wrong admin tokens from " + host + " in "
          + LoginLimiter.WINDOW_MS / 60_000 + " minutes; try again in " + seconds(wait) + " s"),
          Map.of("Retry-After", Long.toString(seconds(wait))), List.of());
    }
    JsonFields b = r.body();
    String given = b.string("token");
    b.noOthers();
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
      limiter.failed(host, now);
      audit.record("login failed", null, from, null, "wrong admin token");
      throw new RequestError(401, "wrong admin token");
    }
    limiter.succeeded(host);
    Sessions.Session s = sessions.open(from, now);
    audit.record("login", null, from, "session", "ok");
    Cookie cookie = Cookie.cookie(Sessions.COOKIE, s.id()).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(r.secure()).setMaxAge((s.expiresAt() - now) / 1000);
    return new ApiRouter.Reply(200, new JsonObject().put("csrf", s.csrf()).put("expiresAt", s.expiresAt()), Map.of(), List.of(cookie));
  }

  private Object logout(ApiRequest r) {
    r.body().noOthers();
    Sessions.Session s = r.session();
    sessions.close(s.id());
    audit.record("logout", null, r.remoteAddress(), "session", "ok");
    Cookie gone = Cookie.cookie(Sessions.COOKIE, "").setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(r.secure()).setMaxAge(0);
    return new ApiRouter.Reply(200, new JsonObject(), Map.of(), List.of(gone));
  }

  private static long seconds(long millis) { return (millis + 999) / 1000; }
}
