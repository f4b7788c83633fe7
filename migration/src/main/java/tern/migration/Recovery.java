package tern.migration;

import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.capsule.Capsule;
import tern.capsule.CapsuleNames;
import tern.capsule.JobProbe;
import tern.os.Command;
import tern.protocol.Command.Discard;
import tern.protocol.JobSpec;
import tern.protocol.MigrationState;
import tern.protocol.Protocol;
import tern.protocol.Reply;
import tern.util.Util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a migrator does when it starts again after dying: find its jobs, settle migrations that were
 * under way, and remove anything that is not its to run. The cluster's migration record decides:
 * committed means the acceptor has the job; anything else means the donor keeps it.
 */
final class Recovery {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final LocalNode node;
  private final Donor donor;
  private final JobControl control;
  private final IMap<String, String> migrations;

  Recovery(LocalNode node, Donor donor, JobControl control, IMap<String, String> migrations) {
    this.node = node;
    this.donor = donor;
    this.control = control;
    this.migrations = migrations;
  }

  /** Reads the remembered jobs back; runs before the node takes commands. */
  void loadJobs() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(node.jobsDir(), "*.json")) {
      for (Path f : ds) {
        LocalJob job = LocalJob.fromJson(LocalNode.read(f), node.cfg.node(), node.cfg.cgroupParent());
        node.jobs.put(job.spec.id(), job);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read remembered jobs: " + e.getMessage(), e);
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(node.outDir(), "*.json")) {
      for (Path f : ds) {
        LocalJob job = node.jobs.get(LocalNode.read(f).getString("jobId"));
        if (job != null) job.state = LocalJob.State.MIGRATING_OUT;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read pending migrations: " + e.getMessage(), e);
    }
    if (!node.jobs.isEmpty()) LOG.info("found " + node.jobs.size() + " job(s) from before: " + node.jobs.keySet());
  }

  /** Settles outbound migrations and stray capsules; runs once the node is in the cluster. */
  void settle() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(node.outDir(), "*.json")) {
      for (Path f : ds) settleOutbound(LocalNode.read(f));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.SEVERE, "could not settle pending migrations", e);
    }
    removeStrayCapsules();
    removeIncomingLeftovers();
  }

  /**
   * An incoming migration never outlives the migrator that prepared it: its images and the node
   * route that held its VIP (a blackhole until the restore) go.
   */
  private void removeIncomingLeftovers() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(node.cfg.images(), "in-*")) {
      for (Path p : ds) {
        LOG.info("removing images of an unfinished incoming migration: " + p.getFileName());
        LocalNode.deleteTree(p);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list image directories", e);
    }
    String blackholes = Command.of("ip", "route", "show", "type", "blackhole").runAllowingFailure(10).stdout();
    for (String vip : BlackholeRoutes.destinations(blackholes)) {
      Command.of("ip", "route", "del", "blackhole", vip).runAllowingFailure(10);
    }
  }

  private void settleOutbound(JsonObject record) {
    String migrationId = record.getString("migrationId");
    String jobId = record.getString("jobId");
    LocalJob job = node.jobs.get(jobId);
    if (job == null) {
      LocalNode.delete(node.outDir().resolve(migrationId + ".json"));
      return;
    }
    if (JobProbe.alive(job.initPid)) {
      LOG.info("migration " + migrationId + ": " + jobId + " never stopped here; it keeps running");
      job.state = LocalJob.State.RUNNING;
      LocalNode.delete(node.outDir().resolve(migrationId + ".json"));
      return;
    }
    MigrationState state = waitForOutcome(migrationId);
    if (state != null && state.donorDiscards()) {
      LOG.info("migration " + migrationId + " had " + state.text() + " " + jobId + ": its images here go");
      donor.discard(new Discard(jobId, migrationId, null));
    } else {
      LOG.info("migration " + migrationId + " did not commit (" + (state == null ? "no outcome" : state.text()) + "): restoring " + jobId + " here");
      synchronized (node.lock(jobId)) {
        donor.resumeHere(job, migrationId);
      }
    }
  }

  /**
   * The gateway settles every migration it ran (committed or aborted); wait for it to do so. Null when
   * the cluster has no record of it, or it is still running after five minutes.
   */
  private MigrationState waitForOutcome(String migrationId) {
    for (int i = 0; i < 600; i++) {
      String text = migrations.get(migrationId);
      if (text == null) return null;
      MigrationState state = MigrationState.of(new JsonObject(text).getString("state"));
      if (state != MigrationState.RUNNING) return state;
      Util.sleep(500);
    }
    LOG.warning("migration " + migrationId + " is still running after five minutes");
    return null;
  }

  private void removeStrayCapsules() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/run/netns"), "tern-" + node.cfg.node() + "-j*")) {
      for (Path p : ds) {
        String jobId = p.getFileName().toString().substring(("tern-" + node.cfg.node() + "-").length());
        if (node.jobs.containsKey(jobId)) continue;
        JsonObject committed = handedHere(jobId);
        CapsuleNames names;
        if (committed != null) {
          Reply.JobDescription description = Protocol.read(committed.getJsonObject("job"), Reply.JobDescription.class);
          JobSpec spec = description.job();
          names = node.names(jobId, description.vip());
          LOG.info("migration " + committed.getString("id") + " had committed " + jobId + " to this node: resuming it");
          LocalNode.resume(names.cgroup());
          long pid = pidOfInit(names);
          node.remember(new LocalJob(spec, names, pid, description.startedAt()));
        } else {
          names = node.names(jobId, "0.0.0.0");
          LOG.info("removing capsule of " + jobId + ": it is not this node's to run");
          LocalNode.killAll(names.cgroup());
          new Capsule(names).destroy();
        }
      }
    } catch (NoSuchFileException e) {
      // no network namespace was ever named on this machine since it booted: no capsule to find
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list capsules", e);
    }
    for (LocalJob job : node.jobs.values()) {
      if (job.state == LocalJob.State.RUNNING) control.reapIfEnded(job);
    }
  }

  /**
   * The migration that handed the job to this node, if the job's newest migration did: an older one
   * that brought it here says nothing, since the job may have left again and come back only as far
   * as a restore that never committed.
   */
  private JsonObject handedHere(String jobId) {
    JsonObject newest = null;
    for (String text : migrations.values()) {
      JsonObject m = new JsonObject(text);
      if (jobId.equals(m.getString("jobId"))
          && (newest == null || m.getLong("startedAt", 0L) > newest.getLong("startedAt", 0L))) {
        newest = m;
      }
    }
    if (newest == null || !node.cfg.node().equals(newest.getString("to"))) return null;
    return waitForOutcome(newest.getString("id")) == MigrationState.COMMITTED ? newest : null;
  }

  /** The restored init is the capsule's process whose parent is outside it. */
  private static long pidOfInit(CapsuleNames names) {
    var pids = tern.capsule.Cgroups.pids(names.cgroup());
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        long ppid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        if (!pids.contains(ppid)) return pid;
      } catch (IOException | RuntimeException ignored) {
        // exited meanwhile
      }
    }
    throw new IllegalStateException("no init found in " + names.cgroup());
  }
}
