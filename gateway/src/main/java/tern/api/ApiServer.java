package tern.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import tern.gateway.ApiError;
import tern.gateway.Gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The gateway's HTTP+JSON API. Every request must carry the admin token; errors are JSON with a message. */
public final class ApiServer {
  private static final Logger LOG = Logger.getLogger("tern.api");
  private final Vertx vertx;
  private final Gateway gateway;
  private final byte[] token;

  public ApiServer(Vertx vertx, Gateway gateway, String adminToken) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.token = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
  }

  public Future<HttpServer> listen(String host, int port) {
    Router r = Router.router(vertx);
    r.route().handler(this::authenticate);
    r.route().handler(this::requireReady);
    r.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
    r.get("/v1/nodes").handler(ctx -> blocking(ctx, 200, () -> new JsonArray(gateway.nodes())));
    r.get("/v1/jobs").handler(ctx -> blocking(ctx, 200, () -> new JsonArray(gateway.jobs())));
    r.get("/v1/jobs/:id").handler(ctx -> blocking(ctx, 200, () -> gateway.job(ctx.pathParam("id"))));
    r.post("/v1/jobs").handler(ctx -> blocking(ctx, 201, () -> gateway.start(body(ctx))));
    r.delete("/v1/jobs/:id").handler(ctx -> blocking(ctx, 200, () -> gateway.kill(ctx.pathParam("id"))));
    r.post("/v1/jobs/:id/migrate").handler(ctx -> blocking(ctx, 200, () -> {
      JsonObject b = body(ctx);
      return gateway.migrate(ctx.pathParam("id"), b.getString("to"), b.getString("fault"));
    }));
    r.post("/v1/jobs/:id/expose").handler(ctx -> blocking(ctx, 200, () -> {
      JsonObject b = body(ctx);
      return gateway.expose(ctx.pathParam("id"), intField(b, "port", true), intField(b, "public", false));
    }));
    r.delete("/v1/jobs/:id/expose/:port").handler(ctx -> blocking(ctx, 200,
        () -> gateway.unexpose(ctx.pathParam("id"), parsePort(ctx.pathParam("port")))));
    r.post("/v1/nodes/:name/drain").handler(ctx -> blocking(ctx, 200, () -> gateway.drain(ctx.pathParam("name"))));
    r.get("/v1/nodes/:name/drain").handler(ctx -> blocking(ctx, 200, () -> gateway.drainStatus(ctx.pathParam("name"))));
    r.post("/v1/nodes/:name/undrain").handler(ctx -> blocking(ctx, 200, () -> gateway.undrain(ctx.pathParam("name"))));
    r.get("/v1/events").handler(ctx -> blocking(ctx, 200, () -> new JsonArray(gateway.events(
        longParam(ctx, "after", -1), (int) Math.min(1000, longParam(ctx, "limit", 50))))));
    r.get("/v1/balance").handler(ctx -> blocking(ctx, 200, gateway::balance));
    r.post("/v1/balance").handler(ctx -> blocking(ctx, 200, () -> {
      Object on = body(ctx).getValue("enabled");
      if (!(on instanceof Boolean b)) throw new ApiError(400, "give {\"enabled\": true} or {\"enabled\": false}");
      return gateway.balance(b);
    }));
    r.get("/v1/migrations").handler(ctx -> blocking(ctx, 200, () -> new JsonArray(gateway.migrations())));
    r.get("/metrics").handler(ctx -> vertx.executeBlocking(
        () -> PrometheusText.of(gateway.nodes(), gateway.jobs(), gateway.migrations(), gateway.balance()), false).onComplete(ar -> {
          if (ar.succeeded()) ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(ar.result());
          else error(ctx, 500, String.valueOf(ar.cause().getMessage()));
        }));
    r.route().last().handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    return vertx.createHttpServer().requestHandler(r).listen(port, host);
  }

  private void authenticate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token)) {
      LOG.warning("refused unauthenticated " + ctx.request().method() + " " + ctx.request().path() + " from " + ctx.request().remoteAddress());
      error(ctx, 401, "missing or wrong admin token (Authorization: Bearer ...)");
      return;
    }
    ctx.next();
  }

  /** A restarted gateway answers nothing from a state it does not hold yet (an empty job list would be a lie). */
  private void requireReady(RoutingContext ctx) {
    if (gateway.ready()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", "1");
    error(ctx, 503, "the gateway is rejoining the cluster and recovering its state; try again in a few seconds");
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) return new JsonObject();
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ApiError(400, "request body is not a JSON object: " + e.getMessage());
    }
  }

  private static int intField(JsonObject b, String name, boolean required) {
    Object v = b.getValue(name);
    if (v == null) {
      if (required) throw new ApiError(400, "'" + name + "' is required");
      return 0;
    }
    if (!(v instanceof Number n)) throw new ApiError(400, "'" + name + "' must be a number");
    return n.intValue();
  }

  private static long longParam(RoutingContext ctx, String name, long dflt) {
    String v = ctx.request().getParam(name);
    if (v == null) return dflt;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "'" + name + "' must be a number, got '" + v + "'");
    }
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "'" + s + "' is not a port number");
    }
  }

  private void blocking(RoutingContext ctx, int status, Callable<Object> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        Object v = ar.result();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
            .end(v instanceof JsonArray a ? a.encodePrettily() : ((JsonObject) v).encodePrettily());
      } else if (ar.cause() instanceof ApiError e) {
        error(ctx, e.status(), e.getMessage());
      } else {
        LOG.log(Level.WARNING, "request failed: " + ctx.request().path(), ar.cause());
        error(ctx, 500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encodePrettily());
  }
}
