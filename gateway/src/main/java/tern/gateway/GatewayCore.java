package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.protocol.Command;
import tern.protocol.Event;
import tern.protocol.Protocol;
import tern.proxy.ConnectionHold;
import tern.proxy.Exposures;
import tern.proxy.StdioHub;
import tern.util.Util;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gateway's core, wired: a cluster member that owns the routes to the jobs and their state, and
 * decides placement and migration. The service's start-up ({@code tern.service.GatewayMain}) opens the
 * API on its operations, so the API sits above the core and the core knows nothing of it.
 */
public final class GatewayCore {
  private static final Logger LOG = Logger.getLogger("tern.gateway");

  private GatewayCore() { }

  /** Where the API comes in: opened once the operations are wired, before the cluster's state is recovered. */
  public interface Api {
    void open(Vertx vertx, GatewayOperations operations, Admissions admissions);
  }

  /** Joins the cluster, opens the API, recovers the cluster's state, and serves until the process ends. */
  public static void run(GatewayConfig cfg, ClusterSecret secret, Api api) throws IOException {
    Files.createDirectories(cfg.stateDir());

    KernelRoutes routes = new KernelRoutes();
    routes.masquerade(cfg.vipPool(), cfg.outsideIf());
    KnownMembers known = new KnownMembers(cfg.stateDir().resolve("cluster-members"));
    List<String> seeds = new ArrayList<>(List.of(cfg.lanIp()));
    seeds.addAll(known.addresses());
    ClusterMember member = ClusterMember.join(cfg.lanIp(), seeds, Map.of(ClusterMember.ATTR_ROLE, "gateway"));
    LOG.info("joined the cluster (" + member.hazelcast().getCluster().getMembers().size() + " members) in "
        + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms since the JVM started");
    Vertx vertx = member.vertx();
    HazelcastInstance hz = member.hazelcast();

    JobBook jobs = new JobBook(hz.getMap(ClusterNames.JOBS), hz.getMap(ClusterNames.JOB_LOAD),
        hz.getCPSubsystem().getAtomicLong(ClusterNames.JOB_IDS), cfg.retention());
    RetentionSweep retention = new RetentionSweep(jobs, new JobFiles(java.nio.file.Path.of(JobStarts.OUTPUT_DIR)), cfg.retention());
    NodeDirectory nodes = new NodeDirectory(hz, secret);
    NodeClient client = new NodeClient(vertx, hz, secret);
    VipPool vips = new VipPool(cfg.vipPool(), hz.getMap(ClusterNames.VIPS));
    Exposures exposures = new Exposures(vertx, cfg.outsideIp(), cfg.limits());
    StdioHub stdio = new StdioHub(vertx, (jobId, signal) -> vertx.executeBlocking(() -> {
      JsonObject job = jobs.get(jobId);
      return client.call(job.getString("node"), new Command.Signal(jobId, signal), 10_000);
    }, false).onFailure(e -> LOG.warning("could not deliver signal " + signal + " to " + jobId + ": " + e.getMessage())));
    stdio.listen(cfg.lanIp(), cfg.stdioPort(), cfg.outsideIp(), cfg.stdioPort());
    ClusterPolicy policy = new ClusterPolicy(hz, cfg.policy());
    ClusterView view = new ClusterView(nodes, jobs);
    EventLog events = new EventLog(hz);
    JobEndings endings = new JobEndings(jobs, client, routes, vips, exposures, stdio, policy);
    JobPorts ports = new JobPorts(jobs, exposures);
    JobStarts starts = new JobStarts(jobs, nodes, client, vips, routes, stdio, policy, view, endings, ports);
    MigrationCoordinator coordinator = new MigrationCoordinator(hz, jobs, nodes, client, routes, ConnectionHold.all(exposures, stdio),
        endings, policy::observe, policy::predictedFreezeMs);
    Balancer balancer = new Balancer(hz, view, policy, coordinator, jobs, events);
    AuditLog audit = new AuditLog(hz);
    Admissions admissions = new Admissions(cfg.stateDir().resolve("admissions.json"), cfg.acceptNodes(), secret, nodes::liveNames, audit::record);
    GatewayOperations gateway = new GatewayOperations(jobs, nodes, starts, ports, endings, coordinator, balancer, events, audit, retention);

    // The API answers from now on, but only 503 until the gateway holds the cluster's state again
    api.open(vertx, gateway, admissions);
    vertx.eventBus().<JsonObject>consumer(ClusterNames.GATEWAY_EVENTS, msg -> {
      JsonObject signed;
      try {
        signed = secret.verify(msg.body());
      } catch (SecurityException ex) {
        LOG.warning("dropped an event without valid cluster proof: " + ex.getMessage());
        msg.fail(403, "no valid cluster proof");
        return;
      }
      Event e;
      try {
        e = Protocol.event(signed);
      } catch (IllegalArgumentException ex) {
        LOG.warning("dropped an event it cannot read (" + ex.getMessage() + "): " + signed.encode());
        msg.reply(new JsonObject().put("ok", true));
        return;
      }
      if (!gateway.ready()) {
        msg.fail(503, "the gateway is recovering the cluster's state; send it again");  // the node's outbox does
        return;
      }
      vertx.executeBlocking(() -> {
        onEvent(e, endings, nodes, events);
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
        if (node == null) return;
        String clash = nodes.clashOf(e.getMember());
        if (clash != null) {
          // listed as refused, given nothing, and not remembered under the name it claims
          LOG.warning("member refused: " + describe(e.getMember()) + ": " + clash);
          audit.record("member refused", node, String.valueOf(e.getMember().getAddress()), null, clash);
          return;
        }
        known.add(e.getMember().getAttribute("tern.lanIp"));
        nodes.remember(e.getMember());
        // a node drained for its shutdown is back: it takes jobs again (an admin's drain stays)
        if ("shutdown".equals(nodes.drainedBy(node))) {
          nodes.undrain(node);
          events.record("undrain", null, node, node + " is back after its shutdown and takes jobs again", null);
        }
      }

      @Override public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) {
        LOG.warning("member left: " + describe(e.getMember()));
      }
    });
    // the nodes that joined before the listener did
    for (com.hazelcast.cluster.Member m : hz.getCluster().getMembers()) {
      if (m.getAttribute(ClusterMember.ATTR_NODE) == null) continue;
      known.add(m.getAttribute("tern.lanIp"));
      nodes.remember(m);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("gateway stopping");
      member.leave();
    }));

    long t0 = System.nanoTime();
    recover(hz, known, cfg.rejoinSeconds(), jobs, nodes, routes, coordinator, starts, ports);
    LOG.info("recovered the cluster's state in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    // a merge after a split replaces this member's view of the state: routes and listeners follow it
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
        LOG.warning("the cluster merged after a split: restoring routes and exposed ports from its state");
        vertx.executeBlocking(() -> {
          restoreRoutes(jobs, nodes, routes);
          ports.reopenExposures();
          return null;
        }, false);
      }
    });
    gateway.ready(true);
    // jobs that ended while nobody listened: their nodes' queued events say so too, this makes sure
    vertx.executeBlocking(() -> {
      for (NodeDirectory.Node n : nodes.alive()) endings.reconcile(n.name());
      return null;
    }, false);
    balancer.start();
    retention.start();
    LOG.info("gateway up: API on port " + cfg.apiPort() + ", LAN " + cfg.lanIp() + ", outside " + cfg.outsideIp()
        + " (" + cfg.outsideIf() + "), VIPs from " + cfg.vipPool() + "; " + jobs.active().size() + " jobs, "
        + nodes.alive().size() + " nodes");
  }

  /**
   * Before the gateway answers: the cluster's state is here (the nodes it knows are members again, or
   * none came back in time), the routes and exposed ports it implies are restored, and the migrations
   * and starts its former self left under way are settled.
   */
  private static void recover(HazelcastInstance hz, KnownMembers known, int rejoinSeconds, JobBook jobs, NodeDirectory nodes,
                              KernelRoutes routes, MigrationCoordinator coordinator, JobStarts starts, JobPorts ports) {
    if (!known.addresses().isEmpty()) {
      long deadline = System.currentTimeMillis() + rejoinSeconds * 1000L;
      while (hz.getCluster().getMembers().size() < 2 && System.currentTimeMillis() < deadline) {
        LOG.info("waiting for the nodes this gateway knows (" + String.join(", ", known.addresses()) + ") to hold the cluster's state");
        Util.sleep(1_000);
      }
      if (hz.getCluster().getMembers().size() < 2) {
        LOG.warning("no node this gateway knows came back in " + rejoinSeconds + " s: starting with an empty cluster state");
      }
    }
    coordinator.settleOrphans();
    starts.settleOrphans();
    restoreRoutes(jobs, nodes, routes);
    ports.reopenExposures();
  }

  private static String describe(com.hazelcast.cluster.Member m) {
    String node = m.getAttribute(ClusterMember.ATTR_NODE);
    return (node != null ? "node " + node : m.getAttribute(ClusterMember.ATTR_ROLE)) + " at " + m.getAddress();
  }

  private static void onEvent(Event e, JobEndings endings, NodeDirectory nodes, EventLog events) {
    String node = e.node();
    if (e instanceof Event.JobEnded ended) {
      endings.ended(ended.jobId(), node, ended.exitCode());
    } else if (e instanceof Event.JobResumed resumed) {
      endings.resumed(resumed.jobId(), node, resumed.migrationId());
    } else if (e instanceof Event.NodeUp) {
      endings.reconcile(node);
    } else if (e instanceof Event.NodeDraining) {
      if (nodes.drainedBy(node) == null) nodes.drain(node, "shutdown");
      events.record("drain", null, node, "draining " + node + ": its migrator is shutting down", null);
    }
  }

  /** After a gateway restart the jobs are still in the cluster's state; their routes must be again. */
  private static void restoreRoutes(JobBook jobs, NodeDirectory nodes, KernelRoutes routes) {
    for (JsonObject job : jobs.active()) {
      nodes.find(job.getString("node")).ifPresent(n -> routes.point(job.getString("vip"), n.lanIp()));
    }
  }
}
