package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import tern.api.ApiServer;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.proxy.ConnectionHold;
import tern.proxy.Exposures;
import tern.proxy.StdioHub;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** The gateway service: a cluster member that owns the routes to the jobs, their state and the API. */
public final class GatewayMain {
  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
  }
  private static final Logger LOG = Logger.getLogger("tern.gateway");

  public static void main(String[] args) throws IOException {
    GatewayConfig cfg = GatewayConfig.parse(args);
    ClusterSecret secret = ClusterSecret.fromFile(cfg.secretFile());
    String token = Files.readString(cfg.adminTokenFile()).trim();
    if (token.length() < 16) throw new IllegalArgumentException("admin token in " + cfg.adminTokenFile() + " is shorter than 16 characters");
    Files.createDirectories(cfg.stateDir());

    KernelRoutes routes = new KernelRoutes();
    routes.masquerade(cfg.vipPool(), cfg.outsideIf());
    ClusterMember member = ClusterMember.join(cfg.lanIp(), List.of(cfg.lanIp()), Map.of(ClusterMember.ATTR_ROLE, "gateway"));
    Vertx vertx = member.vertx();
    HazelcastInstance hz = member.hazelcast();

    JobBook jobs = new JobBook(hz.getMap(ClusterNames.JOBS), hz.getMap(ClusterNames.JOB_LOAD));
    NodeDirectory nodes = new NodeDirectory(hz);
    NodeClient client = new NodeClient(vertx, hz, secret);
    VipPool vips = new VipPool(cfg.vipPool(), hz.getMap(ClusterNames.VIPS));
    Exposures exposures = new Exposures(vertx, cfg.outsideIp(), cfg.limits());
    StdioHub stdio = new StdioHub(vertx, (jobId, signal) -> vertx.executeBlocking(() -> {
      JsonObject job = jobs.get(jobId);
      return client.call(job.getString("node"), "signal", new JsonObject().put("jobId", jobId).put("signal", signal), 10_000);
    }, false).onFailure(e -> LOG.warning("could not deliver signal " + signal + " to " + jobId + ": " + e.getMessage())));
    stdio.listen(cfg.lanIp(), cfg.stdioPort(), cfg.outsideIp(), cfg.stdioPort());
    ClusterPolicy policy = new ClusterPolicy(hz, cfg.policy());
    ClusterView view = new ClusterView(nodes, jobs);
    EventLog events = new EventLog(hz);
    JobStarter starter = new JobStarter(hz, jobs, nodes, client, vips, routes, exposures, stdio, cfg.lanIp(), policy, view);
    MigrationCoordinator coordinator = new MigrationCoordinator(hz, jobs, nodes, client, routes, ConnectionHold.all(exposures, stdio),
        policy::observe);
    Balancer balancer = new Balancer(hz, view, policy, coordinator, jobs, events);
    restoreRoutes(jobs, nodes, routes);
    starter.reopenExposures();

    vertx.eventBus().<JsonObject>consumer(ClusterNames.GATEWAY_EVENTS, msg -> {
      JsonObject e;
      try {
        e = secret.verify(msg.body());
      } catch (SecurityException ex) {
        LOG.warning("dropped an event without valid cluster proof: " + ex.getMessage());
        msg.fail(403, "no valid cluster proof");
        return;
      }
      vertx.executeBlocking(() -> {
        onEvent(e, starter, jobs, nodes, events);
        return null;
      }, false).onComplete(ar -> {
        if (ar.succeeded()) msg.reply(new JsonObject().put("ok", true));
        else msg.fail(500, String.valueOf(ar.cause().getMessage()));
      });
    });
    hz.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {
        LOG.info("member joined: " + describe(e.getMember()));
        String node = e.getMember().getAttribute(ClusterMember.ATTR_NODE);
        // a node drained for its shutdown is back: it takes jobs again (an admin's drain stays)
        if (node != null && "shutdown".equals(nodes.drainedBy(node))) {
          nodes.undrain(node);
          events.record("undrain", null, node, node + " is back after its shutdown and takes jobs again", null);
        }
      }

      @Override public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
        LOG.warning("member left: " + describe(e.getMember()));
      }
    });
    balancer.start();
    new ApiServer(vertx, new Gateway(hz, jobs, nodes, starter, coordinator, balancer, events), token)
        .listen("0.0.0.0", cfg.apiPort()).toCompletionStage().toCompletableFuture().join();
    LOG.info("gateway up: API on port " + cfg.apiPort() + ", LAN " + cfg.lanIp() + ", outside " + cfg.outsideIp()
        + " (" + cfg.outsideIf() + "), VIPs from " + cfg.vipPool());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("gateway stopping");
      member.leave();
    }));
  }

  private static String describe(com.hazelcast.cluster.Member m) {
    String node = m.getAttribute(ClusterMember.ATTR_NODE);
    return (node != null ? "node " + node : m.getAttribute(ClusterMember.ATTR_ROLE)) + " at " + m.getAddress();
  }

  private static void onEvent(JsonObject e, JobStarter starter, JobBook jobs, NodeDirectory nodes, EventLog events) {
    String type = e.getString("type", "");
    String id = e.getString("jobId");
    switch (type) {
      case "job-ended" -> starter.ended(id, e.getString("node"), e.getInteger("exitCode"));
      case "job-resumed" -> {
        LOG.info("job " + id + " resumed on " + e.getString("node") + " after migration " + e.getString("migrationId") + " failed");
        jobs.update(id, j -> {
          j.put("state", "running").put("node", e.getString("node")).remove("note");
          j.remove("migrationId");
          return j;
        });
      }
      case "node-draining" -> {
        String node = e.getString("node");
        if (nodes.drainedBy(node) == null) nodes.drain(node, "shutdown");
        events.record("drain", null, node, "draining " + node + ": its migrator is shutting down", null);
      }
      default -> LOG.warning("unknown event " + e.encode());
    }
  }

  /** After a gateway restart the jobs are still in the cluster's state; their routes must be again. */
  private static void restoreRoutes(JobBook jobs, NodeDirectory nodes, KernelRoutes routes) {
    for (JsonObject job : jobs.all()) {
      if (!"running".equals(job.getString("state"))) continue;
      nodes.find(job.getString("node")).ifPresent(n -> routes.point(job.getString("vip"), n.lanIp()));
    }
  }
}
