package tern.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import tern.admission.Enrollment;
import tern.gateway.Admissions;
import tern.os.NeighbourTable;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.logging.Logger;

/**
 * Where PCs on the LAN ask for their place in the cluster ({@link Enrollment}): its own port on the
 * gateway's LAN address only, one route, no admin token (a PC that asks has nothing yet). What it
 * answers is {@link Admissions}'s; the claimed MAC address is checked against the neighbour table of
 * the LAN link itself, so an address on another link never passes.
 */
public final class EnrollServer {
  private static final Logger LOG = Logger.getLogger("tern.admission");
  /** A MAC address and a 44-character key: a body of a few hundred bytes at most. */
  private static final int BODY_LIMIT = 4096;
  private final Vertx vertx;
  private final Admissions admissions;

  public EnrollServer(Vertx vertx, Admissions admissions) {
    this.vertx = vertx;
    this.admissions = admissions;
  }

  public Future<HttpServer> listen(String lanIp, int port) {
    String device = deviceOf(lanIp);
    Router router = Router.router(vertx);
    router.post(Enrollment.PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(ctx -> enroll(ctx, device));
    router.route().failureHandler(ctx -> answer(ctx, new Admissions.Answer(ctx.statusCode() >= 400 ? ctx.statusCode() : 500,
        new JsonObject().put("error", ctx.statusCode() == 413 ? "an enrollment request is at most " + BODY_LIMIT + " bytes"
            : "enrollment request failed: " + ctx.failure()))));
    router.route().handler(ctx -> answer(ctx, new Admissions.Answer(404,
        new JsonObject().put("error", "this port serves only POST " + Enrollment.PATH))));
    return vertx.createHttpServer().requestHandler(router).listen(port, lanIp)
        .onSuccess(s -> LOG.info("enrollment on " + lanIp + ":" + port + " (" + device + ")"));
  }

  private void enroll(RoutingContext ctx, String device) {
    String source = ctx.request().remoteAddress().hostAddress();
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    JsonObject request = body == null ? new JsonObject() : body;
    vertx.executeBlocking(() -> admissions.enroll(request, source, ip -> NeighbourTable.macOf(ip, device)), false)
        .onComplete(ar -> answer(ctx, ar.succeeded() ? ar.result()
            : new Admissions.Answer(500, new JsonObject().put("error", "enrollment failed on the gateway: " + ar.cause().getMessage()))));
  }

  private static void answer(RoutingContext ctx, Admissions.Answer a) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(a.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(a.body().encodePrettily());
  }

  /** The LAN link's name: the interface that holds the gateway's LAN address. */
  private static String deviceOf(String lanIp) {
    try {
      NetworkInterface nic = NetworkInterface.getByInetAddress(InetAddress.getByName(lanIp));
      if (nic == null) throw new IllegalArgumentException("no interface holds the LAN address " + lanIp + " (--lan-ip)");
      return nic.getName();
    } catch (SocketException | UnknownHostException e) {
      throw new IllegalArgumentException("cannot find the interface of the LAN address " + lanIp + ": " + e.getMessage(), e);
    }
  }
}
