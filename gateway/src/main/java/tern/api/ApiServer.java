package tern.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.admission.MacAddress;
import tern.gateway.Admissions;
import tern.gateway.GatewayOperations;
import tern.json.JsonFields;
import tern.protocol.Identifiers;
import tern.request.ExposeRequest;
import tern.request.RequestError;
import tern.request.StartRequest;
import tern.web.PageFiles;
import tern.web.PushStream;
import tern.web.Sessions;

import java.time.Duration;
import java.util.regex.Pattern;

/** The gateway's HTTP+JSON API: its routes. What every request goes through first is {@link ApiRouter}'s. */
public final class ApiServer {
  private static final Pattern FAULT = Pattern.compile("[a-z][a-z-]{0,63}");
  /** How long a page's sign-in lasts: a working day. */
  private static final long SESSION_MS = 12 * 3600_000L;
  private final Vertx vertx;
  private final GatewayOperations gateway;
  private final Admissions admissions;
  private final String adminToken;
  private final JsonObject pageDefaults;

  /** admissions: which PCs may take part; pageUid, pageGid: who a job started from the admin page runs as. */
  public ApiServer(Vertx vertx, GatewayOperations gateway, Admissions admissions, String adminToken, long pageUid, long pageGid) {
    this.vertx = vertx;
    this.admissions = admissions;
    this.gateway = gateway;
    this.adminToken = adminToken;
    this.pageDefaults = new JsonObject().put("uid", pageUid).put("gid", pageGid).put("cwd", "/tmp");
  }

  public Future<HttpServer> listen(String host, int port) {
    Sessions sessions = new Sessions(SESSION_MS);
    ApiRouter.Audit audit = (action, target, from, via, outcome) -> vertx.executeBlocking(() -> {
      gateway.audit(action, target, from, via, outcome);
      return null;
    }, false);
    ApiRouter api = new ApiRouter(vertx, adminToken, sessions, audit, Duration.ofSeconds(10), gateway::ready);
    PageFiles files = new PageFiles();
    api.serve("/", ctx -> files.page(ctx, "index.html"));
    api.serve("/login", ctx -> files.page(ctx, "login.html"));
    api.serve("/assets/*", files::asset);
    new PageSessions(adminToken, sessions, audit, pageDefaults).routes(api);
    PushStream stream = new PushStream(vertx, gateway, admissions, sessions);
    api.serve("/ui/stream", ctx -> {
      Sessions.Session session;
      try {
        session = new ApiRequest(ctx).session();
      } catch (RequestError e) {
        ctx.fail(e);
        return;
      }
      stream.open(ctx, session.id());
    });
    stream.start();
    // the PCs that wait for the admin are listed with the nodes (state "pending"), so `tern nodes` shows them
    api.get("/v1/nodes", r -> new JsonArray(gateway.nodes()).addAll(new JsonArray(admissions.pendingNodes())));
    api.get("/v1/jobs", r -> new JsonArray(gateway.jobs()));
    api.get("/v1/jobs/:id", r -> gateway.job(r.jobId()));
    api.get("/v1/jobs/:id/targets", r -> gateway.targets(r.jobId()));
    api.serve("/v1/jobs/:id/output", new JobOutput(vertx, gateway)::handle);
    api.post("/v1/jobs", 201, "start", r -> gateway.start(StartRequest.read(r.body())));
    api.delete("/v1/jobs/:id", "kill", r -> gateway.kill(r.jobId()));
    api.post("/v1/jobs/:id/migrate", 200, "migrate", r -> {
      String id = r.jobId();
      JsonFields b = r.body();
      String to = b.matching("to", Identifiers.NODE_NAME, Identifiers.NODE_NAME_SHAPE, null);
      String fault = b.matching("fault", FAULT, "the name of a fault to inject", null);
      b.noOthers();
      return gateway.migrate(id, to, fault);
    });
    api.post("/v1/jobs/:id/expose", 200, "expose", r -> {
      String id = r.jobId();
      ExposeRequest e = ExposeRequest.read(r.body());
      return gateway.expose(id, e.port(), e.publicPort());
    });
    api.delete("/v1/jobs/:id/expose/:port", "unexpose", r -> gateway.unexpose(r.jobId(), r.port()));
    api.post("/v1/nodes/:name/drain", 200, "drain", r -> gateway.drain(noBody(r).node()));
    api.get("/v1/nodes/:name/drain", r -> gateway.drainStatus(r.node()));
    api.post("/v1/nodes/:name/undrain", 200, "undrain", r -> gateway.undrain(noBody(r).node()));
    api.get("/v1/admissions", r -> admissions.list());
    api.post("/v1/admissions/:mac/accept", 200, "accept", r -> {
      MacAddress mac = r.mac();
      JsonFields b = r.body();
      String name = b.matching("name", Identifiers.NODE_NAME, Identifiers.NODE_NAME_SHAPE, null);
      b.noOthers();
      return admissions.accept(mac, name);
    });
    api.delete("/v1/admissions/:mac", "forget", r -> admissions.forget(r.mac()));
    api.get("/v1/events", r -> {
      long after = r.query("after", -1, Long.MAX_VALUE - 1, -1);
      int limit = (int) r.query("limit", 1, 1000, 50);
      String job = r.optionalJobId("job");
      return new JsonArray(job == null ? gateway.events(after, limit) : gateway.events(after, limit, job));
    });
    api.get("/v1/balance", r -> gateway.balance());
    api.post("/v1/balance", 200, "balance", r -> {
      JsonFields b = r.body();
      boolean on = b.bool("enabled");
      b.noOthers();
      return gateway.balance(on);
    });
    api.get("/v1/audit", r -> new JsonArray(gateway.audit(-1, (int) r.query("limit", 1, 1000, 100))));
    api.get("/v1/migrations", r -> new JsonArray(gateway.migrations()));
    api.get("/metrics", r -> new ApiRouter.Text("text/plain; version=0.0.4",
        PrometheusText.of(gateway.nodes(), gateway.jobs(), gateway.migrations(), gateway.balance(), gateway.retention())));
    return api.listen(host, port);
  }

  /** A request that takes no fields: {} or no body at all. */
  private static ApiRequest noBody(ApiRequest r) {
    r.body().noOthers();
    return r;
  }
}
