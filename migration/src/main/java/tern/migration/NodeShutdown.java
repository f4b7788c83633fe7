package tern.migration;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import tern.capsule.Cgroups;
import tern.capsule.JobProbe;
import tern.cluster.ClusterNames;
import tern.protocol.Event;
import tern.protocol.Protocol;
import tern.util.Util;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * SIGTERM, as a shutdown sends it: the node asks the gateway to drain it, waits until every job that
 * can move has moved (or the time is up), names the ones that stay and why, and only then exits.
 */
final class NodeShutdown {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  static final long DRAIN_TIMEOUT_MS = 300_000;
  private static final long MIGRATION_GRACE_MS = 45_000;
  /** The longest a stop may take; systemd's stop timeout must be longer, or it kills a job mid-dump. */
  static final long LONGEST_STOP_MS = DRAIN_TIMEOUT_MS + MIGRATION_GRACE_MS;

  private NodeShutdown() { }

  static void install(LocalNode node, Vertx vertx) {
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> new Thread(() -> drainThenExit(node, vertx), "drain").start());
  }

  private static void drainThenExit(LocalNode node, Vertx vertx) {
    String name = node.cfg.node();
    if (node.jobs.isEmpty()) {
      LOG.info("SIGTERM: no jobs on " + name + ", stopping");
      System.exit(0);
    }
    LOG.info("SIGTERM: draining " + name + " before stopping (" + node.jobs.size() + " jobs)");
    try {
      vertx.eventBus().request(ClusterNames.GATEWAY_EVENTS, node.secret.sign(Protocol.encode(new Event.NodeDraining(name))),
              new DeliveryOptions().setSendTimeout(3_000))
          .toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      LOG.warning("the gateway did not take the drain (" + e.getMessage() + "): stopping; the jobs stay here and run on");
      System.exit(0);
    }
    long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
    List<String> pinned;
    while (true) {
      pinned = new ArrayList<>();
      boolean movableLeft = false;
      for (LocalJob job : List.copyOf(node.jobs.values())) {
        List<String> devices = JobProbe.localDevices(Cgroups.pids(job.names.cgroup()));
        if (job.state == LocalJob.State.RUNNING && !devices.isEmpty()) pinned.add(job.spec.id() + " (" + devices.get(0) + ")");
        else movableLeft = true;
      }
      if (!movableLeft) break;
      boolean midMigration = node.jobs.values().stream().anyMatch(j -> j.state == LocalJob.State.MIGRATING_OUT);
      long now = System.currentTimeMillis();
      // a job being dumped is frozen: leaving now would strand it, so its migration gets a last grace
      if (now > deadline + (midMigration ? MIGRATION_GRACE_MS : 0)) {
        LOG.warning("drain of " + name + " did not finish in " + DRAIN_TIMEOUT_MS / 1000 + " s: stopping with " + node.jobs.size() + " jobs here");
        System.exit(0);
      }
      Util.sleep(250);
      if (Thread.currentThread().isInterrupted()) break;
    }
    LOG.info("drained " + name + (pinned.isEmpty() ? "" : "; staying, pinned: " + String.join(", ", pinned)) + "; stopping");
    System.exit(0);
  }
}
