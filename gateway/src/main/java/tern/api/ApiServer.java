package tern.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import tern.gateway.GatewayOperations;
import tern.json.JsonFields;
import tern.protocol.Identifiers;
import tern.request.ExposeRequest;
import tern.request.StartRequest;

import java.time.Duration;
import java.util.regex.Pattern;

/** The gateway's HTTP+JSON API: its routes. What every request goes through first is {@link ApiRouter}'s. */
public final class ApiServer {
  private static final Pattern FAULT = Pattern.compile("[a-z][a-z-]{0,63}");
  private final Vertx vertx;
  private final GatewayOperations gateway;
  private final String adminToken;

  public ApiServer(Vertx vertx, GatewayOperations gateway, String adminToken) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.adminToken = adminToken;
  }

  public Future<HttpServer> listen(String host, int port) {
    ApiRouter api = new ApiRouter(vertx, adminToken, Duration.ofSeconds(10), gateway::ready);
    api.get("/v1/nodes", r -> new JsonArray(gateway.nodes()));
    api.get("/v1/jobs", r -> new JsonArray(gateway.jobs()));
    api.get("/v1/jobs/:id", r -> gateway.job(r.jobId()));
    api.post("/v1/jobs", 201, r -> gateway.start(StartRequest.read(r.body())));
    api.delete("/v1/jobs/:id", r -> gateway.kill(r.jobId()));
    api.post("/v1/jobs/:id/migrate", 200, r -> {
      String id = r.jobId();
      JsonFields b = r.body();
      String to = b.matching("to", Identifiers.NODE_NAME, Identifiers.NODE_NAME_SHAPE, null);
      String fault = b.matching("fault", FAULT, "the name of a fault to inject", null);
      b.noOthers();
      return gateway.migrate(id, to, fault);
    });
    api.post("/v1/jobs/:id/expose", 200, r -> {
      String id = r.jobId();
      ExposeRequest e = ExposeRequest.read(r.body());
      return gateway.expose(id, e.port(), e.publicPort());
    });
    api.delete("/v1/jobs/:id/expose/:port", r -> gateway.unexpose(r.jobId(), r.port()));
    api.post("/v1/nodes/:name/drain", 200, r -> gateway.drain(noBody(r).node()));
    api.get("/v1/nodes/:name/drain", r -> gateway.drainStatus(r.node()));
    api.post("/v1/nodes/:name/undrain", 200, r -> gateway.undrain(noBody(r).node()));
    api.get("/v1/events", r -> new JsonArray(gateway.events(r.query("after", -1, Long.MAX_VALUE - 1, -1),
        (int) r.query("limit", 1, 1000, 50))));
    api.get("/v1/balance", r -> gateway.balance());
    api.post("/v1/balance", 200, r -> {
      JsonFields b = r.body();
      boolean on = b.bool("enabled");
      b.noOthers();
      return gateway.balance(on);
    });
    api.get("/v1/migrations", r -> new JsonArray(gateway.migrations()));
    api.get("/metrics", r -> new ApiRouter.Text("text/plain; version=0.0.4",
        PrometheusText.of(gateway.nodes(), gateway.jobs(), gateway.migrations(), gateway.balance())));
    return api.listen(host, port);
  }

  /** A request that takes no fields: {} or no body at all. */
  private static ApiRequest noBody(ApiRequest r) {
    r.body().noOthers();
    return r;
  }
}
