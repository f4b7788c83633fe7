package tern.migration;

import io.vertx.core.json.JsonObject;
import tern.capsule.Cgroups;
import tern.capsule.JobProbe;
import tern.criu.Criu;
import tern.protocol.Command;
import tern.protocol.Event;
import tern.protocol.Reply;
import tern.transfer.ImageSender;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * The donor's half of a migration: describe the job, freeze and dump it, stream its images to the
 * acceptor, and keep the images until the gateway says the acceptor has it (discard) or not (rollback).
 * A job is never lost: whenever the acceptor cannot have it, it is restored here from its own images.
 */
final class Donor {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final LocalNode node;
  private final Faults faults;
  final SendProgress progress = new SendProgress();

  Donor(LocalNode node, Faults faults) {
    this.node = node;
    this.faults = faults;
  }

  /** Announce: what moving this job means, or why it cannot move. */
  Reply.JobDescription announce(Command.Announce cmd) {
    LocalJob job = node.job(cmd.jobId());
    if (job.state != LocalJob.State.RUNNING) throw new Refusal(409, "job " + job.spec.id() + " is already being migrated");
    List<Long> pids = Cgroups.pids(job.names.cgroup());
    List<String> devices = JobProbe.localDevices(pids);
    if (!devices.isEmpty()) {
      throw new Refusal(409, "job " + job.spec.id() + " holds a local device and stays on " + node.cfg.node() + ": " + String.join("; ", devices));
    }
    return new Reply.JobDescription(job.spec.id(), job.names.vip(), job.spec.uid(), pids.size(), JobProbe.anonBytes(pids),
        JobProbe.rssBytes(pids), job.spec, job.startedAt);
  }

  /** Freeze, dump and stream. On a failed dump the job keeps running; on a failed stream it is restored here. */
  Reply.Dumped dump(Command.Dump cmd) {
    String id = cmd.jobId();
    String migrationId = cmd.migrationId();
    synchronized (node.lock(id)) {
      LocalJob job = node.job(id);
      if (job.state != LocalJob.State.RUNNING) throw new Refusal(409, "job " + id + " is already being migrated");
      List<String> devices = JobProbe.localDevices(Cgroups.pids(job.names.cgroup()));
      if (!devices.isEmpty()) throw new Refusal(409, "job " + id + " holds a local device: " + String.join("; ", devices));
      Path dir = node.outImages(migrationId);
      Path record = node.outDir().resolve(migrationId + ".json");
      job.state = LocalJob.State.MIGRATING_OUT;
      LocalNode.write(record, new JsonObject().put("migrationId", migrationId).put("jobId", id).put("phase", "dumping"));
      long frozenAt = System.currentTimeMillis();
      long t0 = System.nanoTime();
      try {
        Criu.dump(job.names.netns(), job.initPid, dir, job.spec.uid(), job.spec.gid());
      } catch (RuntimeException e) {
        // CRIU thaws the tree when a dump fails: the job runs on here.
        job.state = LocalJob.State.RUNNING;
        LocalNode.delete(record);
        node.keepLog(dir, "dump.log", migrationId);
        LocalNode.deleteTree(dir);
        if (!JobProbe.alive(job.initPid)) {
          throw new IllegalStateException("dump of " + id + " failed and the job is gone: " + e.getMessage());
        }
        throw new IllegalStateException("dump of " + id + " failed, job still running on " + node.cfg.node() + ": " + e.getMessage());
      }
      long dumpMs = (System.nanoTime() - t0) / 1_000_000;
      LocalNode.write(record, new JsonObject().put("migrationId", migrationId).put("jobId", id).put("phase", "dumped"));
      LOG.info("dumped " + id + " for migration " + migrationId + " in " + dumpMs + " ms");
      faults.maybeDie(cmd, Faults.DONOR_DIES_AFTER_DUMP);
      try {
        long abortAfter = faults.is(cmd, Faults.LINK_DROPS) ? 64 * 1024 : -1;
        ImageSender.Stats sent = new ImageSender(node.secret)
            .send(dir, cmd.acceptorIp(), cmd.acceptorPort(), migrationId, abortAfter, progress.of(migrationId));
        LocalNode.write(record, new JsonObject().put("migrationId", migrationId).put("jobId", id).put("phase", "sent"));
        LOG.info("sent " + id + ": " + sent.rawBytes() + " image bytes as " + sent.wireBytes() + " on the wire in " + sent.millis() + " ms");
        return new Reply.Dumped(frozenAt, dumpMs, sent.rawBytes(), sent.wireBytes(), sent.millis());
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage();
        resumeHere(job, migrationId);
        throw new IllegalStateException("image transfer of " + id + " failed (" + why + "); job resumed on " + node.cfg.node());
      }
    }
  }

  /** The acceptor has the job running: drop the images and the old capsule. */
  Reply.Discarded discard(Command.Discard cmd) {
    String id = cmd.jobId();
    String migrationId = cmd.migrationId();
    synchronized (node.lock(id)) {
      LocalJob job = node.jobs.get(id);
      if (job != null) {
        LocalNode.killAll(job.names.cgroup());
        job.capsule().destroy();
        node.forget(id);
      }
      LocalNode.deleteTree(node.outImages(migrationId));
      LocalNode.delete(node.outDir().resolve(migrationId + ".json"));
      LOG.info("migration " + migrationId + " committed: " + id + " left " + node.cfg.node());
      return new Reply.Discarded(id);
    }
  }

  /** The acceptor could not take the job: restore it here from the images this node kept. */
  Reply.Running rollback(Command.Rollback cmd) {
    String id = cmd.jobId();
    String migrationId = cmd.migrationId();
    synchronized (node.lock(id)) {
      LocalJob job = node.job(id);
      if (job.state == LocalJob.State.RUNNING && JobProbe.alive(job.initPid)) {
        return new Reply.Running(job.initPid, "job was still running here");
      }
      resumeHere(job, migrationId);
      return new Reply.Running(job.initPid);
    }
  }

  void resumeHere(LocalJob job, String migrationId) {
    Path dir = node.outImages(migrationId);
    long pid = Criu.restoreStopped(job.names.netns(), dir, job.names.cgroup());
    LocalNode.resume(job.names.cgroup());
    job.initPid = pid;
    job.state = LocalJob.State.RUNNING;
    node.remember(job);
    LocalNode.deleteTree(dir);
    LocalNode.delete(node.outDir().resolve(migrationId + ".json"));
    LOG.info("job " + job.spec.id() + " resumed on " + node.cfg.node() + " after failed migration " + migrationId + ", init pid " + pid);
    node.publish(new Event.JobResumed(node.cfg.node(), job.spec.id(), migrationId));
  }
}
