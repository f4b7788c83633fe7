package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;
import tern.migration.LinkRate;
import tern.proxy.ConnectionHold;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Runs one migration, donor A to acceptor B, in the order of the design: announce, prepare, freeze and
 * dump (A streams the images to B), route the VIP to B, restore (stopped), commit, resume, discard.
 * The commit point is the cluster's migration record turning "committed": before it, any failure
 * leaves the job on A (A restores it from its own images); after it, the job belongs to B. So a job
 * is never lost and never runs twice.
 */
final class MigrationCoordinator {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  private final HazelcastInstance hz;
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final NodeClient client;
  private final KernelRoutes routes;
  private final ConnectionHold exposures;
  private final IMap<String, String> history;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final java.util.function.Consumer<JsonObject> committed;

  /** committed: told of every committed migration's record (the cost model learns from them). */
  MigrationCoordinator(HazelcastInstance hz, JobBook jobs, NodeDirectory nodes, NodeClient client, KernelRoutes routes,
                       ConnectionHold exposures, java.util.function.Consumer<JsonObject> committed) {
    this.committed = committed;
    this.exposures = exposures;
    this.hz = hz;
    this.jobs = jobs;
    this.nodes = nodes;
    this.client = client;
    this.routes = routes;
    this.history = hz.getMap(ClusterNames.MIGRATIONS);
  }

  boolean inFlight(String jobId) { return inFlight.contains(jobId); }

  JsonObject migrate(String jobId, String to, String fault) {
    JsonObject job = jobs.get(jobId);
    if (!"running".equals(job.getString("state"))) {
      throw new ApiError(409, "job " + jobId + " is " + job.getString("state") + ", only a running job can migrate");
    }
    String from = job.getString("node");
    NodeDirectory.Node donor = nodes.find(from).orElseThrow(() -> new ApiError(409, "job " + jobId + "'s node " + from + " is not in the cluster"));
    NodeDirectory.Node acceptor;
    if (to == null) {
      acceptor = nodes.leastLoaded(from).orElseThrow(() -> new ApiError(409, "no other node to move " + jobId + " to"));
    } else {
      acceptor = nodes.require(to);
      if (acceptor.name().equals(from)) throw new ApiError(409, "job " + jobId + " already runs on " + from);
      if (acceptor.draining()) throw new ApiError(409, "node " + to + " is draining and takes no jobs");
    }
    if (!inFlight.add(jobId)) throw new ApiError(409, "job " + jobId + " is already being migrated");
    try {
      return run(job, donor, acceptor, fault);
    } finally {
      // whatever happened, the job runs somewhere again (or waits for its donor): let its clients go on
      exposures.release(jobId);
      inFlight.remove(jobId);
    }
  }

  private JsonObject run(JsonObject job, NodeDirectory.Node a, NodeDirectory.Node b, String fault) {
    String jobId = job.getString("id");
    String vip = job.getString("vip");
    MigrationRecord rec = new MigrationRecord("m" + hz.getCPSubsystem().getAtomicLong(ClusterNames.MIGRATION_IDS).incrementAndGet(),
        jobId, a.name(), b.name());
    rec.linkBytesPerSecond = Math.min(a.linkBytesPerSecond(), b.linkBytesPerSecond());
    JsonObject ids = new JsonObject().put("jobId", jobId).put("migrationId", rec.id);
    if (fault != null) ids.put("fault", fault);
    save(rec);

    // 1-2. announce: A describes the job or refuses (local device); B refuses if it cannot take it
    JsonObject description;
    try {
      description = rec.phase("announce", () -> client.call(a.name(), "announce", ids, 30_000));
    } catch (RuntimeException e) {
      return refused(rec, e);
    }
    // 3. prepare: B builds an empty capsule with the VIP and opens a port for the images
    JsonObject port;
    try {
      port = rec.phase("prepare", () -> client.call(b.name(), "prepare", ids.copy().put("job", description), 30_000));
    } catch (RuntimeException e) {
      abortAcceptor(rec, ids);
      return refused(rec, e);
    }
    jobs.update(jobId, j -> j.put("state", "migrating").put("migrationId", rec.id));
    rec.anonBytes = description.getLong("anonBytes", 0L);

    // 4. hold: nothing more is written into the job's connections, nothing more read from its clients
    exposures.hold(jobId);
    // 5-6. freeze, dump, stream
    long frozen = System.nanoTime();
    JsonObject dumped;
    try {
      long linkBps = LinkRate.parse(a.link());
      long timeout = 60_000 + rec.anonBytes * 8 * 1000 / linkBps * 3;
      dumped = rec.phase("dump+transfer", () -> client.call(a.name(), "dump", ids.copy().mergeIn(port), timeout));
    } catch (NodeClient.NodeFailure e) {
      // A died or cannot be reached after (perhaps) dumping: A's images decide. The record says
      // "aborted", so A's recovery restores the job there when its migrator comes back.
      abortAcceptor(rec, ids);
      finish(rec, "aborted", e.getMessage());
      jobs.update(jobId, j -> j.put("state", "recovering").put("node", a.name()).put("note", "waiting for " + a.name() + " to restore it"));
      throw new ApiError(502, "migration " + rec.id + " failed: " + e.getMessage() + "; " + jobId + " will resume on " + a.name() + " when its migrator returns");
    } catch (RuntimeException e) {
      // A answered: the dump failed (job still running on A) or the stream failed (A restored it).
      abortAcceptor(rec, ids);
      return failedOnDonor(rec, job, e);
    }
    rec.dump = dumped;

    // 7. restore on B, stopped. Until it is there, the VIP keeps leading to A, whose capsule drops
    // everything (CRIU's network lock), so no peer's retransmission can meet an empty capsule.
    JsonObject restored;
    try {
      restored = rec.phase("restore", () -> client.call(b.name(), "restore", ids, 180_000));
    } catch (RuntimeException e) {
      abortAcceptor(rec, ids);
      try {
        rec.phase("rollback", () -> client.call(a.name(), "rollback", ids, 180_000));
      } catch (RuntimeException rollbackFailed) {
        finish(rec, "aborted", e.getMessage() + "; rollback on " + a.name() + " failed too: " + rollbackFailed.getMessage());
        jobs.update(jobId, j -> j.put("state", "recovering").put("node", a.name()));
        throw new ApiError(500, "migration " + rec.id + " failed and the rollback on " + a.name() + " failed: " + rollbackFailed.getMessage());
      }
      return failedOnDonor(rec, job, e);
    }

    // 6. the VIP now leads to B, where the job sits restored and stopped; then the commit point
    routes.point(vip, b.lanIp());
    finish(rec, "committed", null);
    jobs.update(jobId, j -> {
      j.put("node", b.name()).put("state", "running").put("hostPid", restored.getLong("initPid"))
          .put("migrations", j.getInteger("migrations", 0) + 1).put("lastMovedAt", System.currentTimeMillis()).remove("migrationId");
      j.remove("lastMovePayback");
      return j;
    });
    try {
      rec.phase("resume", () -> client.call(b.name(), "resume", ids, 30_000));
      exposures.release(jobId);
    } catch (RuntimeException e) {
      LOG.warning("migration " + rec.id + " committed but resuming on " + b.name() + " failed (" + e.getMessage()
          + "); " + b.name() + "'s recovery resumes it");
    }
    rec.freezeMs = (System.nanoTime() - frozen) / 1_000_000;
    try {
      rec.phase("discard", () -> client.call(a.name(), "discard", ids, 60_000));
    } catch (RuntimeException e) {
      LOG.warning("migration " + rec.id + ": " + a.name() + " could not discard its copy (" + e.getMessage() + "); its recovery will");
    }
    save(rec);
    committed.accept(rec.summary());
    LOG.info("migrated " + jobId + " " + a.name() + " -> " + b.name() + ": " + rec.summary().encode());
    return rec.summary();
  }

  private JsonObject refused(MigrationRecord rec, RuntimeException e) {
    finish(rec, "refused", e.getMessage());
    if (e instanceof ApiError api) throw new ApiError(api.status(), api.getMessage());
    throw new ApiError(502, e.getMessage());
  }

  private JsonObject failedOnDonor(MigrationRecord rec, JsonObject job, RuntimeException e) {
    finish(rec, "aborted", e.getMessage());
    jobs.update(job.getString("id"), j -> { j.put("state", "running").put("node", rec.from).remove("migrationId"); return j; });
    throw new ApiError(500, "migration " + rec.id + " of " + job.getString("id") + " to " + rec.to + " failed: "
        + e.getMessage() + "; the job runs on " + rec.from);
  }

  private void abortAcceptor(MigrationRecord rec, JsonObject ids) {
    try {
      client.call(rec.to, "abort", ids, 60_000);
    } catch (RuntimeException e) {
      // B is gone: its recovery removes any capsule whose migration did not commit.
      LOG.warning("migration " + rec.id + ": could not abort on " + rec.to + ": " + e.getMessage());
    }
  }

  private void finish(MigrationRecord rec, String state, String error) {
    rec.state = state;
    rec.error = error;
    save(rec);
    if (error != null) LOG.warning("migration " + rec.id + " of " + rec.jobId + " " + rec.from + " -> " + rec.to + " " + state + ": " + error);
  }

  private void save(MigrationRecord rec) { history.set(rec.id, rec.toJson().encode()); }
}
