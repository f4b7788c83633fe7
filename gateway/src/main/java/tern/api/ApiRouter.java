package tern.api;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import tern.request.RequestError;
import tern.web.Guard;
import tern.web.PageFiles;
import tern.web.Sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The API's edge, where nothing from outside is trusted yet. Every request shows the admin token or
 * a page session (with its anti-forgery token for a change) before anything else is read, as its
 * path's {@link Guard} says; only the routes that take a body read one, as JSON, up to a limit
 * and within a deadline; every route's work runs on a worker thread; and every request is answered,
 * whatever it is: see {@link ApiFailure}.
 */
final class ApiRouter {
  /** A route's work: what to answer (a JsonObject, a JsonArray or a {@link Text}); may throw {@link RequestError}. */
  interface Answer {
    Object answer(ApiRequest request) throws Exception;
  }

  /** An answer that is not JSON. */
  record Text(String contentType, String body) { }

  /** An answer with its own status, headers and cookies (a login's, a refusal's with Retry-After). */
  record Reply(int status, JsonObject body, Map<String, String> headers, List<Cookie> cookies) { }

  /** Where state-changing requests are written down: what, on what, from where, through which door, and how it went. */
  interface Audit {
    void record(String action, String target, String from, String via, String outcome);
  }

  static final String VIA = "tern.via";
  static final String SESSION = "tern.session";

  static final int BODY_LIMIT = 1 << 20;
  private static final String BODY_DEADLINE = "tern.bodyDeadline";
  private static final Logger LOG = Logger.getLogger("tern.api");
  private final Vertx vertx;
  private final Router router;
  private final byte[] token;
  private final Sessions sessions;
  private final Audit audit;
  private final Duration bodyDeadline;
  private final BooleanSupplier ready;

  /** With no page sessions (none can be opened) and nothing audited. */
  ApiRouter(Vertx vertx, String adminToken, Duration bodyDeadline, BooleanSupplier ready) {
    this(vertx, adminToken, new Sessions(0), (action, target, from, via, outcome) -> { }, bodyDeadline, ready);
  }

  /**
   * sessions: the page's sign-ins (the API takes their cookie as well as the token); audit: where
   * each state-changing request is written down.
   * bodyDeadline: a body that has not all come by then will not (the client is gone, or stalls on purpose).
   * ready: whether the gateway holds the cluster's state; until it does, every request gets 503.
   */
  ApiRouter(Vertx vertx, String adminToken, Sessions sessions, Audit audit, Duration bodyDeadline, BooleanSupplier ready) {
    this.vertx = vertx;
    this.ready = ready;
    this.token = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
    this.sessions = sessions;
    this.audit = audit;
    this.bodyDeadline = bodyDeadline;
    this.router = Router.router(vertx);
    router.route().handler(this::authenticate).failureHandler(ctx -> ApiFailure.answer(ctx, ctx.statusCode()));
    router.route().handler(this::requireReady);
    // what the router refuses by itself (no such path, a method the path does not take, a path or
    // query it cannot decode) never reaches a route's failure handler
    for (int status = 400; status < 600; status++) {
      int code = status;
      router.errorHandler(code, ctx -> ApiFailure.answer(ctx, code));
    }
  }

  void get(String path, Answer answer) { router.get(path).handler(ctx -> answer(ctx, 200, null, answer)); }

  /** A route that answers by itself, on the event loop (a page's file, a stream), for GET and HEAD. */
  void serve(String path, Handler<RoutingContext> handler) { router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler); }

  /** A route that changes something: written down in the audit as action, with the outcome. */
  void delete(String path, String action, Answer answer) { router.delete(path).handler(ctx -> answer(ctx, 200, action, answer)); }

  /** A route that takes a body: JSON or none (no forms, no uploads), at most BODY_LIMIT bytes. */
  void post(String path, int status, Answer answer) { post(path, status, null, answer); }

  /** {@link #post(String, int, Answer)}, written down in the audit as action (null: not audited). */
  void post(String path, int status, String action, Answer answer) {
    // two routes: Vert.x wants a route's body handler before any handler of its own
    router.post(path).handler(ApiRouter::jsonOrNothing).handler(this::startBodyDeadline);
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(ctx -> answer(ctx, status, action, answer));
  }

  Future<HttpServer> listen(String host, int port) {
    HttpServerOptions options = new HttpServerOptions()
        // no path or header of this API comes near these; beyond them Netty stops reading (414, 431)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(8192)
        // the client may send its body only once its token is known good (BodyHandler says 100 Continue)
        .setHandle100ContinueAutomatically(false);
    return vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(ApiRouter::unparsable)
        // with a handshake handler Vert.x hands a request of an HTTP version it does not speak to the
        // router (which refuses it: 400) instead of answering 501 itself; no WebSocket is served
        .webSocketHandshakeHandler(h -> h.reject(404))
        .listen(port, host);
  }

  private void authenticate(RoutingContext ctx) {
    if (ctx.request().version() == null) {
      ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", "the request's HTTP version is not 1.0 or 1.1").encodePrettily())
          .onComplete(v -> ctx.request().connection().close());
      return;
    }
    String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    boolean tokenShown = auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token);
    Optional<Sessions.Session> session = sessions.find(sessionCookie(ctx), System.currentTimeMillis());
    boolean csrf = session.isPresent() && session.get().csrfMatches(ctx.request().getHeader(Sessions.CSRF_HEADER));
    Guard guard = guard(ctx);
    switch (guard.judge(ctx.request().method().name(), new Guard.Shown(tokenShown, session.isPresent(), csrf))) {
      case TOKEN -> ctx.put(VIA, "token");
      case SESSION -> {
        ctx.put(VIA, "session");
        ctx.put(SESSION, session.get());
      }
      case REDIRECT_TO_LOGIN -> {
        PageFiles.secure(ctx.response()).setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/login").end();
        return;
      }
      case FORBIDDEN -> {
        LOG.warning("refused " + ApiFailure.describe(ctx) + " from " + ctx.request().remoteAddress() + ": a session without its anti-forgery token");
        ctx.fail(new RequestError(403, "missing or wrong anti-forgery token (" + Sessions.CSRF_HEADER + ")"));
        return;
      }
      default -> {
        if (guard != Guard.PUBLIC) {
          LOG.warning("refused unauthenticated " + ApiFailure.describe(ctx) + " from " + ctx.request().remoteAddress());
          ctx.fail(new RequestError(401, guard == Guard.SESSION ? "no valid session: sign in at /login"
              : guard == Guard.TOKEN ? "missing or wrong admin token (Authorization: Bearer ...)"
              : "missing or wrong admin token (Authorization: Bearer ...) or page session"));
          return;
        }
      }
    }
    ctx.next();
  }

  /**
   * The guard of the path as the router will match it (decoded, "//" and dot segments resolved: /%75i/x
   * is /ui/x). A request in absolute form (http://host/path) is for a proxy, not for the page: the API's
   * rules; the page's routes refuse it for want of a session ({@link ApiRequest#session}).
   */
  private static Guard guard(RoutingContext ctx) {
    if (!ctx.request().uri().startsWith("/")) return Guard.TOKEN_OR_SESSION;
    try {
      return Guard.of(String.valueOf(ctx.normalizedPath()));
    } catch (RuntimeException undecodable) {
      return Guard.TOKEN_OR_SESSION;  // the router refuses it (400) once the credentials are seen
    }
  }

  /** The session cookie's value; a Cookie header that does not parse counts as none. */
  private static String sessionCookie(RoutingContext ctx) {
    try {
      Cookie c = ctx.request().getCookie(Sessions.COOKIE);
      return c == null ? null : c.getValue();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A restarted gateway answers nothing from a state it does not hold yet (an empty job list would
   * be a lie); Retry-After tells the client when to ask again. Not a fault of the gateway's: no incident.
   */
  private void requireReady(RoutingContext ctx) {
    // the login page and the page's files need nothing of the cluster's state
    if (ready.getAsBoolean() || guard(ctx) == Guard.PUBLIC && Guard.isSafe(ctx.request().method().name())) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "the gateway is rejoining the cluster and recovering its state; try again in a second")
            .encodePrettily());
  }

  private static void jsonOrNothing(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && !type.isBlank() && !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
      ctx.fail(new RequestError(415, "a request body must be JSON (Content-Type: application/json), not " + type));
      return;
    }
    ctx.next();
  }

  private void startBodyDeadline(RoutingContext ctx) {
    long timer = vertx.setTimer(bodyDeadline.toMillis(), t -> {
      if (ctx.remove(BODY_DEADLINE) == null) return;
      // the rest of this body will not come: answer, and hang up on the half-sent request
      ctx.addEndHandler(v -> ctx.request().connection().close());
      ctx.fail(new RequestError(408, "the request body did not arrive within " + bodyDeadline.toSeconds() + " s"));
    });
    ctx.put(BODY_DEADLINE, timer);
    ctx.addEndHandler(v -> stopBodyDeadline(ctx));
    ctx.next();
  }

  private void stopBodyDeadline(RoutingContext ctx) {
    Long timer = ctx.remove(BODY_DEADLINE);
    if (timer != null) vertx.cancelTimer(timer);
  }

  private void answer(RoutingContext ctx, int status, String action, Answer answer) {
    stopBodyDeadline(ctx);
    ApiRequest request = new ApiRequest(ctx);
    vertx.executeBlocking(() -> answer.answer(request), false).onComplete(ar -> {
      if (action != null) audit(ctx, action, ar.succeeded() ? ar.result() : null, ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage()));
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      try {
        send(ctx, status, ar.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  /** Writes down a state-changing request: its target is the job or node of its path, or what it made or set. */
  void audit(RoutingContext ctx, String action, Object result, String outcome) {
    String target = ctx.pathParam("id") != null ? ctx.pathParam("id") : ctx.pathParam("name") != null ? ctx.pathParam("name") : ctx.pathParam("mac");
    if (target == null && result instanceof JsonObject o) {
      target = o.containsKey("enabled") ? (o.getBoolean("enabled", false) ? "on" : "off") : o.getString("id");
    }
    audit.record(action, target, String.valueOf(ctx.request().remoteAddress()), ctx.get(VIA), outcome);
  }

  private static void send(RoutingContext ctx, int status, Object answer) {
    if (ctx.response().closed()) return;
    if (answer instanceof Reply r) {
      r.headers().forEach(ctx.response()::putHeader);
      r.cookies().forEach(ctx.response()::addCookie);
      ctx.response().setStatusCode(r.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(r.body().encodePrettily());
      return;
    }
    String body = answer instanceof Text t ? t.body()
        : answer instanceof JsonArray a ? a.encodePrettily() : ((JsonObject) answer).encodePrettily();
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, answer instanceof Text t ? t.contentType() : "application/json").end(body);
  }

  /** A request Netty could not parse (its line or headers too long, or not HTTP): no route sees it. */
  private static void unparsable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String why = cause instanceof TooLongFrameException ? "request line or headers too long" : "malformed HTTP request";
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", why + (cause == null ? "" : ": " + cause.getMessage())).encodePrettily())
        .onComplete(v -> request.connection().close());
  }
}
