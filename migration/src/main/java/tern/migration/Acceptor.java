package tern.migration;

import tern.capsule.Capsule;
import tern.capsule.CapsuleNames;
import tern.criu.Criu;
import tern.os.MemInfo;
import tern.protocol.Command;
import tern.protocol.JobSpec;
import tern.protocol.Reply;
import tern.transfer.ImageReceiver;
import tern.util.Util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The acceptor's half of a migration: an empty capsule with the job's VIP and a fresh port for its
 * images; then a restore that leaves the job stopped until the gateway commits, so the job can never
 * run here and on the donor at once.
 */
final class Acceptor {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final LocalNode node;
  private final Faults faults;
  private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();

  private record Incoming(String migrationId, JobSpec spec, CapsuleNames names, ImageReceiver receiver, long startedAt) { }

  Acceptor(LocalNode node, Faults faults) {
    this.node = node;
    this.faults = faults;
  }

  Reply.ImagePort prepare(Command.Prepare cmd) {
    String migrationId = cmd.migrationId();
    Reply.JobDescription description = cmd.job();
    JobSpec spec = description.job();
    synchronized (node.lock(spec.id())) {
      if (node.jobs.containsKey(spec.id())) throw new Refusal(409, "job " + spec.id() + " already runs on " + node.cfg.node());
      long need = description.anonBytes();
      long avail;
      try {
        avail = MemInfo.availableBytes();
      } catch (IllegalStateException e) {
        throw new Refusal(503, node.cfg.node() + " cannot take " + spec.id() + ": it cannot tell its free memory (" + e.getMessage() + ")");
      }
      if (need * 2 > avail) {
        throw new Refusal(409, node.cfg.node() + " cannot take " + spec.id() + ": it needs " + need / 1048576
            + " MiB of memory (twice that while restoring), " + avail / 1048576 + " MiB available");
      }
      Capsule capsule = new Capsule(node.names(spec.id(), description.vip()));
      if (capsule.exists()) throw new Refusal(409, "a capsule for " + spec.id() + " already exists on " + node.cfg.node());
      capsule.create(false);
      try {
        ImageReceiver receiver = new ImageReceiver(node.secret, migrationId, node.inImages(migrationId), node.cfg.lanIp());
        incoming.put(migrationId, new Incoming(migrationId, spec, capsule.names(), receiver, description.startedAt()));
        return new Reply.ImagePort(node.cfg.lanIp(), receiver.port());
      } catch (IOException | RuntimeException e) {
        capsule.destroy();
        throw new IllegalStateException("cannot open an image port on " + node.cfg.node() + ": " + e.getMessage());
      }
    }
  }

  /** Restores the received images, stopped. */
  Reply.Restored restore(Command.Restore cmd) {
    Incoming in = incoming(cmd);
    faults.maybeDie(cmd, Faults.ACCEPTOR_DIES);
    try {
      in.receiver().done().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the images of " + in.spec().id() + " never arrived complete: " + Util.rootMessage(e));
    }
    Path dir = node.inImages(in.migrationId());
    if (faults.is(cmd, Faults.RESTORE_FAILS)) corruptCore(dir);
    long t0 = System.nanoTime();
    try {
      new Capsule(in.names()).route();
      long pid = Criu.restoreStopped(in.names().netns(), dir, in.names().cgroup());
      faults.maybeDie(cmd, Faults.ACCEPTOR_DIES_AFTER_RESTORE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      LOG.info("restored " + in.spec().id() + " (stopped) for migration " + in.migrationId() + " in " + ms + " ms, init pid " + pid);
      return new Reply.Restored(ms, pid);
    } catch (RuntimeException e) {
      LocalNode.killAll(in.names().cgroup());
      node.keepLog(dir, "restore.log", in.migrationId());
      throw new IllegalStateException("restore of " + in.spec().id() + " on " + node.cfg.node() + " failed: " + e.getMessage());
    }
  }

  /** The gateway committed: let the job run here. */
  Reply.Running resume(Command.Resume cmd) {
    Incoming in = incoming(cmd);
    synchronized (node.lock(in.spec().id())) {
      LocalNode.resume(in.names().cgroup());
      long pid = readRestoredPid(node.inImages(in.migrationId()));
      node.remember(new LocalJob(in.spec(), in.names(), pid, in.startedAt()));
      incoming.remove(in.migrationId());
      LocalNode.deleteTree(node.inImages(in.migrationId()));
      LOG.info("job " + in.spec().id() + " now runs on " + node.cfg.node() + " (migration " + in.migrationId() + ")");
      return new Reply.Running(pid);
    }
  }

  /** The migration failed: nothing of the job may stay here. */
  Reply.Aborted abort(Command.Abort cmd) {
    Incoming in = incoming.remove(cmd.migrationId());
    if (in == null) return new Reply.Aborted(false);
    in.receiver().close();
    Capsule capsule = new Capsule(in.names());
    // the job may sit here restored, its sockets live: it must leave its peers to the donor's copy
    capsule.unplug();
    LocalNode.killAll(in.names().cgroup());
    capsule.destroy();
    LocalNode.deleteTree(node.inImages(in.migrationId()));
    LOG.info("migration " + in.migrationId() + " of " + in.spec().id() + " aborted on " + node.cfg.node());
    return new Reply.Aborted(true);
  }

  /** The jobs restored here whose migration has not yet handed them over (resume). */
  List<String> incomingJobs() { return incoming.values().stream().map(i -> i.spec().id()).toList(); }

  /** A kill of a job that is here but not yet resumed: nothing of it stays. False if it is not here. */
  boolean killIncoming(String jobId) {
    for (Incoming in : List.copyOf(incoming.values())) {
      if (in.spec().id().equals(jobId)) {
        abort(new Command.Abort(jobId, in.migrationId(), null));
        return true;
      }
    }
    return false;
  }

  private Incoming incoming(Command.MigrationStep<?> cmd) {
    Incoming in = incoming.get(cmd.migrationId());
    if (in == null) throw new Refusal(404, "no migration " + cmd.migrationId() + " prepared on " + node.cfg.node());
    return in;
  }

  private static long readRestoredPid(Path dir) {
    try {
      return Long.parseLong(Files.readString(dir.resolve("restored.pid")).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("no restored pid in " + dir);
    }
  }

  /**
   * Fault injection: a real CRIU restore failure, from a damaged core image. (Damaged page images
   * are no use here: CRIU 4.2.1 hangs on a truncated pages image instead of failing.)
   */
  private static void corruptCore(Path dir) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "core-*.img")) {
      for (Path p : ds) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x7a, 0x7a, 0x7a, 0x7a, 0x7a, 0x7a, 0x7a, 0x7a}), 0);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot inject restore fault: " + e.getMessage());
    }
  }
}
