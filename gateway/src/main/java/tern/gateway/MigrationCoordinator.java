package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;
import tern.cluster.CpuFeatures;
import tern.cluster.LinkRate;
import tern.protocol.Command;
import tern.protocol.MigrationState;
import tern.protocol.Protocol;
import tern.protocol.Reply;
import tern.proxy.ConnectionHold;
import tern.request.RequestError;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Runs one migration, donor A to acceptor B, in the order of the design: announce, prepare, freeze and
 * dump (A streams the images to B), restore (stopped), route the VIP to B and commit, resume, discard.
 * The commit point is the cluster's migration record turning "committed", written under the job's
 * lock together with the job's new node: before it, any failure leaves the job on A (A restores it
 * from its own images); after it, the job belongs to B. So a job is never lost and never runs twice.
 * From its start to its end the migration holds the job (state MIGRATING): a kill meanwhile is
 * carried out by the migration, which is abandoned at its next step, and the job ends once, killed.
 */
final class MigrationCoordinator {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  private final HazelcastInstance hz;
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final NodeClient client;
  private final KernelRoutes routes;
  private final ConnectionHold exposures;
  private final JobEndings endings;
  private final IMap<String, String> history;
  private final FreezePrediction prediction;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final java.util.function.Consumer<JsonObject> committed;

  /** committed: told of every committed migration's record (the cost model learns from them). */
  /** The freeze the learned cost model expects of moving bytes over a link of the given rate, in ms. */
  interface FreezePrediction {
    long millis(long bytes, double linkBytesPerSecond);
  }

  MigrationCoordinator(HazelcastInstance hz, JobBook jobs, NodeDirectory nodes, NodeClient client, KernelRoutes routes,
                       ConnectionHold exposures, JobEndings endings, java.util.function.Consumer<JsonObject> committed,
                       FreezePrediction prediction) {
    this.prediction = prediction;
    this.committed = committed;
    this.exposures = exposures;
    this.endings = endings;
    this.hz = hz;
    this.jobs = jobs;
    this.nodes = nodes;
    this.client = client;
    this.routes = routes;
    this.history = hz.getMap(ClusterNames.MIGRATIONS);
  }

  boolean inFlight(String jobId) { return inFlight.contains(jobId); }

  /** The migrations, oldest first; one in flight has its phase and the image bytes its donor has sent so far. */
  List<JsonObject> history() {
    List<JsonObject> all = history.values().stream().map(JsonObject::new)
        .map(m -> { m.remove("job"); return m; })
        .sorted(Comparator.comparingLong(m -> m.getLong("startedAt"))).toList();
    java.util.Set<String> running = new java.util.HashSet<>();
    for (JsonObject m : all) if ("running".equals(m.getString("state"))) running.add(m.getString("id"));
    if (!running.isEmpty()) {
      Map<String, String> sent = hz.<String, String>getMap(ClusterNames.MIGRATION_PROGRESS).getAll(running);
      for (JsonObject m : all) if (sent.containsKey(m.getString("id"))) m.put("bytesSent", Long.parseLong(sent.get(m.getString("id"))));
    }
    return all;
  }
  JsonObject migrate(String jobId, String to, String fault) {
    JsonObject job = jobs.get(jobId);
    JobState state = JobState.of(job);
    if (state != JobState.RUNNING) throw new RequestError(409, "job " + jobId + " is " + state.text() + ", only a running job can migrate");
    String from = job.getString("node");
    NodeDirectory.Node donor = nodes.find(from)
        .orElseThrow(() -> new RequestError(409, "job " + jobId + "'s node " + from + " is not in the cluster"));
    NodeDirectory.Node acceptor;
    if (to == null) {
      acceptor = nodes.leastLoadedFor(job).orElseThrow(() -> noTarget(job));
    } else {
      acceptor = nodes.require(to);
      if (acceptor.name().equals(from)) throw new RequestError(409, "job " + jobId + " already runs on " + from);
      if (acceptor.draining()) throw new RequestError(409, "node " + to + " is draining and takes no jobs");
      if (!acceptor.ready()) throw new RequestError(503, "node " + to + " is starting (its migrator takes no job yet); try again in a second");
    }
    if (!inFlight.add(jobId)) throw new RequestError(409, "job " + jobId + " is already being migrated");
    try {
      MigrationRecord rec = new MigrationRecord("m" + hz.getCPSubsystem().getAtomicLong(ClusterNames.MIGRATION_IDS).incrementAndGet(),
          jobId, donor.name(), acceptor.name());
      if (jobs.transitionIf(jobId, j -> from.equals(j.getString("node")), JobState.MIGRATING, j -> j.put("migrationId", rec.id)) == null) {
        throw new RequestError(409, "job " + jobId + " changed while its migration was being planned (" + JobState.of(jobs.get(jobId)).text()
            + " on " + jobs.get(jobId).getString("node") + "); try again");
      }
      return run(job, rec, donor, acceptor, fault);
    } finally {
      // whatever happened, the job runs somewhere again (or waits for its donor): let its clients go on
      exposures.release(jobId);
      inFlight.remove(jobId);
    }
  }

  /** Why no node is a target for the job: each other node takes no jobs, or its CPU cannot run it. */
  private RequestError noTarget(JsonObject job) {
    List<NodeDirectory.Node> alive = nodes.alive();
    CpuFeatures here = NodeDirectory.cpuHere(job, alive);
    List<String> why = alive.stream().filter(n -> !n.name().equals(job.getString("node")))
        .map(n -> n.closed() ? n.name() + " takes no jobs" : n.unfitFor(job, here).orElse(n.name() + " can take it now; try again")).toList();
    return new RequestError(409, why.isEmpty() ? "no other node to move " + job.getString("id") + " to"
        : "no other node can take " + job.getString("id") + ": " + String.join("; ", why));
  }

  private JsonObject run(JsonObject job, MigrationRecord rec, NodeDirectory.Node a, NodeDirectory.Node b, String fault) {
    String jobId = job.getString("id");
    String vip = job.getString("vip");
    rec.linkBytesPerSecond = Math.min(a.linkBytesPerSecond(), b.linkBytesPerSecond());
    save(rec);

    // B's CPU must have what the job may use: refused before anything is frozen, like a local device
    Optional<String> unfit = b.unfitFor(job, a.cpu());
    if (unfit.isPresent()) {
      return refused(rec, new RequestError(409, jobId + " cannot go to " + b.name() + ": " + unfit.get() + "; it stays on " + a.name()));
    }
    // 1-2. announce: A describes the job or refuses (local device); B refuses if it cannot take it
    Reply.JobDescription description;
    try {
      description = step(rec, a.name(), new Command.Announce(jobId, rec.id, fault), 30_000);
      rec.job = description;
    } catch (RuntimeException e) {
      return refused(rec, e);
    }
    // 3. prepare: B builds an empty capsule with the VIP and opens a port for the images
    Reply.ImagePort port;
    try {
      port = step(rec, b.name(), new Command.Prepare(jobId, rec.id, fault, description), 30_000);
    } catch (RuntimeException e) {
      abortAcceptor(rec.id, jobId, rec.to);
      return refused(rec, e);
    }
    stopIfInterrupted(rec, false);
    rec.anonBytes = description.anonBytes();
    rec.predictedFreezeMs = prediction.millis(rec.anonBytes, rec.linkBytesPerSecond);
    save(rec);  // the history shows a migration in flight, with the phases it has passed

    // 4. hold: nothing more is written into the job's connections, nothing more read from its clients
    exposures.hold(jobId);
    // 5-6. freeze, dump, stream
    long frozen = System.nanoTime();
    Reply.Dumped dumped;
    try {
      long linkBps = LinkRate.parse(a.link());
      long timeout = 60_000 + rec.anonBytes * 8 * 1000 / linkBps * 3;
      dumped = step(rec, a.name(), new Command.Dump(jobId, rec.id, fault, port), timeout);
    } catch (NodeClient.NodeFailure e) {
      // A died or cannot be reached after (perhaps) dumping: A's images decide. The record says
      // "aborted", so A's recovery restores the job there when its migrator comes back.
      abortAcceptor(rec.id, jobId, rec.to);
      finish(rec, MigrationState.ABORTED, e.getMessage());
      awaitDonor(jobId, rec.id, a.name());
      throw new RequestError(502, "migration " + rec.id + " failed: " + e.getMessage() + "; " + jobId + " will resume on " + a.name()
          + " when its migrator returns");
    } catch (RuntimeException e) {
      // A answered: the dump failed (job still running on A) or the stream failed (A restored it).
      abortAcceptor(rec.id, jobId, rec.to);
      return failedOnDonor(rec, e);
    }
    rec.dump = dumped;
    save(rec);
    stopIfInterrupted(rec, true);

    // 7. restore on B, stopped. Until it is there, the VIP keeps leading to A, whose capsule drops
    // everything (CRIU's network lock), so no peer's retransmission can meet an empty capsule.
    Reply.Restored restored;
    try {
      restored = step(rec, b.name(), new Command.Restore(jobId, rec.id, fault), 180_000);
    } catch (RuntimeException e) {
      abortAcceptor(rec.id, jobId, rec.to);
      try {
        step(rec, a.name(), new Command.Rollback(jobId, rec.id, fault), 180_000);
      } catch (RuntimeException rollbackFailed) {
        finish(rec, MigrationState.ABORTED, e.getMessage() + "; rollback on " + a.name() + " failed too: " + rollbackFailed.getMessage());
        awaitDonor(jobId, rec.id, a.name());
        throw new RequestError(500, "migration " + rec.id + " failed and the rollback on " + a.name() + " failed: " + rollbackFailed.getMessage());
      }
      return failedOnDonor(rec, e);
    }

    // 6. the VIP now leads to B, where the job sits restored and stopped; then the commit point, which
    // a kill that came first forbids
    JobBook.Change commit = jobs.transitionIf(jobId, j -> rec.id.equals(j.getString("migrationId")), JobState.RUNNING, j -> {
      routes.point(vip, b.lanIp());
      finish(rec, MigrationState.COMMITTED, null);
      j.put("node", b.name()).put("hostPid", restored.initPid())
          .put("migrations", j.getInteger("migrations", 0) + 1).put("lastMovedAt", System.currentTimeMillis()).remove("migrationId");
      j.remove("lastMovePayback");
      return j;
    });
    if (commit == null) {
      stopIfInterrupted(rec, true);
      throw new IllegalStateException("migration " + rec.id + " lost hold of " + jobId);
    }
    try {
      step(rec, b.name(), new Command.Resume(jobId, rec.id, fault), 30_000);
      exposures.release(jobId);
    } catch (RuntimeException e) {
      LOG.warning("migration " + rec.id + " committed but resuming on " + b.name() + " failed (" + e.getMessage()
          + "); " + b.name() + "'s recovery resumes it");
    }
    rec.freezeMs = (System.nanoTime() - frozen) / 1_000_000;
    try {
      step(rec, a.name(), new Command.Discard(jobId, rec.id, fault), 60_000);
    } catch (RuntimeException e) {
      LOG.warning("migration " + rec.id + ": " + a.name() + " could not discard its copy (" + e.getMessage() + "); its recovery will");
    }
    rec.settled = true;
    save(rec);
    committed.accept(rec.summary());
    LOG.info("migrated " + jobId + " " + a.name() + " -> " + b.name() + ": " + rec.summary().encode());
    return rec.summary();
  }

  /** One step of the migration on a node; its duration goes into the history under the step's name. */
  private <R extends Reply> R step(MigrationRecord rec, String node, Command.MigrationStep<R> command, long timeoutMs) {
    rec.phase = phaseOf(command);
    if (rec.state() == MigrationState.RUNNING) save(rec);  // the page shows the phase in progress
    return rec.phase(phaseOf(command), () -> client.call(node, command, timeoutMs));
  }

  /** The history's name of a step: its command's, the dump's with the image stream it includes. */
  private static String phaseOf(Command<?> command) {
    return command instanceof Command.Dump ? "dump+transfer" : Protocol.nameOf(command);
  }

  /**
   * The job is no longer the migration's to move (it was killed, or it ended on A before its dump):
   * the migration is abandoned, B keeps nothing, and the job ends once.
   */
  private void stopIfInterrupted(MigrationRecord rec, boolean dumped) {
    JsonObject job = jobs.get(rec.jobId);
    JobState state = JobState.of(job);
    if (state == JobState.MIGRATING) return;
    abortAcceptor(rec.id, rec.jobId, rec.to);
    boolean killed = state == JobState.KILLING;
    // "killed" tells A's recovery to drop its images rather than restore from them
    finish(rec, killed && dumped ? MigrationState.KILLED : MigrationState.ABANDONED,
        killed ? "the job was killed during its migration" : "the job ended during its migration");
    if (dumped) discardOnDonor(rec.id, rec.jobId, rec.from);
    letGo(rec.jobId, rec.from, dumped);
    throw new RequestError(409, "migration " + rec.id + " of " + rec.jobId + " abandoned: " + rec.error);
  }

  /**
   * Hands the job back from the migration on its donor: it runs there, unless it was killed (then it
   * is ended now) or ended on its own meanwhile (then its VIP goes now, its acceptor being clean).
   * dumped: the job's only copy is A's images, which are discarded, so a kill is complete.
   */
  private void letGo(String jobId, String from, boolean dumped) {
    JsonObject job = jobs.update(jobId, j -> {
      j.remove("migrationId");
      return j;
    });
    JobState state = JobState.of(job);
    if (state == JobState.KILLING) {
      if (dumped) {
        endings.ended(jobId, from, 128 + 9);
      } else {
        try {
          endings.killOnNode(jobId, from);
        } catch (RequestError pending) {
          LOG.warning(pending.getMessage());
        }
      }
    } else if (state.ended() && job.getBoolean("releasePending", false)) {
      jobs.update(jobId, j -> {
        j.remove("releasePending");
        return j;
      });
      endings.release(job);
    }
  }

  private JsonObject refused(MigrationRecord rec, RuntimeException e) {
    finish(rec, MigrationState.REFUSED, e.getMessage());
    backOnDonor(rec.jobId, rec.id, rec.from);
    if (e instanceof RequestError api) throw new RequestError(api.status(), api.getMessage());
    throw new RequestError(502, e.getMessage());
  }

  private JsonObject failedOnDonor(MigrationRecord rec, RuntimeException e) {
    finish(rec, MigrationState.ABORTED, e.getMessage());
    backOnDonor(rec.jobId, rec.id, rec.from);
    throw new RequestError(500, "migration " + rec.id + " of " + rec.jobId + " to " + rec.to + " failed: " + e.getMessage()
        + "; the job runs on " + rec.from);
  }

  /** The job runs on A (it never left, or A restored it). */
  private void backOnDonor(String jobId, String migrationId, String from) {
    if (jobs.transitionIf(jobId, j -> migrationId.equals(j.getString("migrationId")), JobState.RUNNING, j -> {
      j.put("node", from).remove("migrationId");
      return j;
    }) == null) {
      letGo(jobId, from, false);
    }
  }

  /** A cannot be reached: the job waits for A's migrator, whose recovery restores it (and says so). */
  private void awaitDonor(String jobId, String migrationId, String from) {
    if (jobs.transitionIf(jobId, j -> migrationId.equals(j.getString("migrationId")), JobState.RECOVERING, j -> {
      j.put("node", from).put("note", "waiting for " + from + " to restore it").remove("migrationId");
      return j;
    }) == null) {
      // killed meanwhile: A restores it when it is back, and then the kill is carried out
      jobs.update(jobId, j -> {
        j.put("node", from).put("killPending", true).remove("migrationId");
        return j;
      });
    }
  }

  private void abortAcceptor(String migrationId, String jobId, String to) {
    try {
      client.call(to, new Command.Abort(jobId, migrationId, null), 60_000);
    } catch (RuntimeException e) {
      // B is gone: its recovery removes any capsule whose migration did not commit.
      LOG.warning("migration " + migrationId + ": could not abort on " + to + ": " + e.getMessage());
    }
  }

  private void discardOnDonor(String migrationId, String jobId, String from) {
    try {
      client.call(from, new Command.Discard(jobId, migrationId, null), 60_000);
    } catch (RuntimeException e) {
      LOG.warning("migration " + migrationId + ": " + from + " could not discard its copy (" + e.getMessage() + "); its recovery will");
    }
  }

  /**
   * After a gateway restart: the migrations its former self left under way are settled as the design
   * says. Before the commit the job goes back to its donor (B keeps nothing, A restores it if it was
   * dumped); after it the job is B's, which resumes it, and A's copy goes.
   */
  void settleOrphans() {
    for (String text : history.values()) {
      JsonObject m = new JsonObject(text);
      try {
        MigrationState state = MigrationState.of(m.getString("state"));
        if (state == MigrationState.RUNNING) settleUncommitted(m);
        else if (state == MigrationState.COMMITTED && !m.getBoolean("settled", true)) settleCommitted(m);
      } catch (RuntimeException e) {
        LOG.warning("could not settle migration " + m.getString("id") + " of " + m.getString("jobId") + ": " + e.getMessage());
      }
    }
  }

  private void settleUncommitted(JsonObject m) {
    String id = m.getString("id"), jobId = m.getString("jobId"), from = m.getString("from");
    LOG.info("migration " + id + " of " + jobId + " was under way when the gateway stopped: " + jobId + " goes back to " + from);
    abortAcceptor(id, jobId, m.getString("to"));
    try {
      client.call(from, new Command.Rollback(jobId, id, null), 180_000);
    } catch (RuntimeException e) {
      saveSettled(m.put("state", MigrationState.ABORTED.text())
          .put("error", "the gateway restarted during the migration; rollback on " + from + ": " + e.getMessage()));
      if (e instanceof RequestError api && api.status() == 404) {
        backOnDonor(jobId, id, from);  // A no longer has it: it ended, which A reports or reconciling finds
      } else {
        awaitDonor(jobId, id, from);
      }
      return;
    }
    saveSettled(m.put("state", MigrationState.ABORTED.text()).put("error", "the gateway restarted during the migration"));
    backOnDonor(jobId, id, from);
  }

  private void settleCommitted(JsonObject m) {
    String id = m.getString("id"), jobId = m.getString("jobId"), to = m.getString("to");
    LOG.info("migration " + id + " of " + jobId + " had committed when the gateway stopped: finishing it on " + to);
    if (jobs.transitionIf(jobId, j -> id.equals(j.getString("migrationId")), JobState.RUNNING, j -> {
      j.put("node", to).remove("migrationId");
      return j;
    }) == null) {
      jobs.update(jobId, j -> {
        if (id.equals(j.getString("migrationId"))) j.put("node", to).remove("migrationId");
        return j;
      });
    }
    try {
      client.call(to, new Command.Resume(jobId, id, null), 30_000);
    } catch (RequestError alreadyResumed) {
      // 404: B resumed it before the gateway stopped
    } catch (NodeClient.NodeFailure e) {
      LOG.warning("migration " + id + ": " + to + " did not resume " + jobId + " (" + e.getMessage() + "); its recovery will");
    }
    discardOnDonor(id, jobId, m.getString("from"));
    saveSettled(m);
    JsonObject job = jobs.get(jobId);
    if (JobState.of(job) == JobState.KILLING) {
      try {
        endings.killOnNode(jobId, to);
      } catch (RequestError pending) {
        LOG.warning(pending.getMessage());
      }
    }
  }

  private void saveSettled(JsonObject m) { history.set(m.getString("id"), m.put("settled", true).encode()); }

  private void finish(MigrationRecord rec, MigrationState state, String error) {
    rec.end(state, error);
    save(rec);
    if (error != null) LOG.warning("migration " + rec.id + " of " + rec.jobId + " " + rec.from + " -> " + rec.to + " " + state.text() + ": " + error);
  }

  private void save(MigrationRecord rec) { history.set(rec.id, rec.toJson().encode()); }
}
