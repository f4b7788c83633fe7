package tern.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import tern.json.JsonFields;
import tern.request.RequestError;

import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where every failed request ends, and gets its answer: JSON with a message. A client's error (a bad
 * field, an unknown job, a body too large, a method the path does not take, a path that cannot be
 * decoded) is a 4xx saying what was wrong. Anything else is a fault of the gateway: a 5xx with an
 * incident id, under which the log has the whole story.
 */
final class ApiFailure {
  private static final Logger LOG = Logger.getLogger("tern.api");

  /** Answers ctx, which failed with status (from the router; -1: none) and perhaps an exception. */
  static void answer(RoutingContext ctx, int status) {
    Throwable failure = ctx.failure();
    int code = status(status, failure);
    HttpServerResponse response = ctx.response();
    if (response.closed() || response.ended() || response.headWritten()) {
      // the client has gone, or has its answer already: nothing to send, but a fault is still a fault
      if (code >= 500) LOG.log(Level.WARNING, "failure after the answer to " + describe(ctx) + " was sent", failure);
      return;
    }
    JsonObject body = new JsonObject();
    if (code >= 500) {
      String incident = String.format("%08x", ThreadLocalRandom.current().nextInt());
      if (failure instanceof RequestError e) {
        // a condition the gateway knows (no node up, a node that does not answer): its message says it
        LOG.warning("incident " + incident + ": " + describe(ctx) + " answered " + code + ": " + e.getMessage());
        body.put("error", e.getMessage());
      } else {
        LOG.log(Level.SEVERE, "incident " + incident + ": " + describe(ctx) + " failed", failure);
        body.put("error", "internal error in the gateway; its log has the details under incident " + incident);
      }
      body.put("incident", incident);
    } else {
      body.put("error", message(ctx, code, failure));
    }
    response.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encodePrettily());
  }

  private static int status(int routed, Throwable failure) {
    if (failure instanceof RequestError e) return e.status();
    if (failure instanceof JsonFields.Invalid) return 400;
    if (failure instanceof HttpException h) return h.getStatusCode();
    return routed >= 400 && routed < 600 ? routed : 500;
  }

  private static String message(RoutingContext ctx, int code, Throwable failure) {
    if (failure instanceof RequestError || failure instanceof JsonFields.Invalid) return failure.getMessage();
    if (failure instanceof HttpException h) {
      String what = h.getPayload() != null ? h.getPayload() : HttpResponseStatus.valueOf(code).reasonPhrase();
      return h.getCause() == null ? what : what + ": " + h.getCause().getMessage();
    }
    return switch (code) {
      case 404 -> "no such endpoint: " + describe(ctx);
      case 405 -> ctx.request().method() + " is not allowed on " + path(ctx);
      case 413 -> "the request body is larger than " + ApiRouter.BODY_LIMIT + " bytes";
      case 417 -> "the only expectation understood is 'Expect: 100-continue'";
      case 400 -> "malformed request" + (failure != null && failure.getMessage() != null ? ": " + failure.getMessage()
          : " (a path or query that cannot be decoded?)");
      default -> HttpResponseStatus.valueOf(code).reasonPhrase() + (failure != null ? ": " + failure.getMessage() : "");
    };
  }

  static String describe(RoutingContext ctx) { return ctx.request().method() + " " + path(ctx); }

  /** As it came, undecoded (it may not decode), and cut short. */
  private static String path(RoutingContext ctx) {
    String p = String.valueOf(ctx.request().path());
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }
}
