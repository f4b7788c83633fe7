package tern.migration;

import io.vertx.core.json.JsonObject;
import tern.capsule.CapsuleNames;
import tern.capsule.Cgroups;
import tern.cluster.ClusterSecret;
import tern.os.Command;
import tern.protocol.Event;
import tern.util.Util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What one node's migrator knows: the jobs it hosts (kept on disk so a restarted migrator finds
 * them again) and where it keeps images. Shared by the donor and acceptor halves.
 */
final class LocalNode {
  final NodeConfig cfg;
  final ClusterSecret secret;
  final Map<String, LocalJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private volatile Consumer<Event> events = e -> { };

  LocalNode(NodeConfig cfg, ClusterSecret secret) {
    this.cfg = cfg;
    this.secret = secret;
    mkdirs(jobsDir());
    mkdirs(outDir());
    mkdirs(cfg.images());
  }

  /** Where events for the gateway go (the event bus, once the node has joined). */
  void onEvent(Consumer<Event> sink) { this.events = sink; }

  void publish(Event event) { events.accept(event); }

  CapsuleNames names(String jobId, String vip) { return new CapsuleNames(cfg.node(), jobId, vip, cfg.cgroupParent()); }

  /** Serialises operations on one job (a kill racing a dump, two migrations of one job). */
  Object lock(String jobId) { return locks.computeIfAbsent(jobId, k -> new Object()); }

  LocalJob job(String jobId) {
    LocalJob j = jobs.get(jobId);
    if (j == null) throw Refusal.unknownJob(jobId, cfg.node());
    return j;
  }

  void remember(LocalJob job) {
    jobs.put(job.spec.id(), job);
    write(jobsDir().resolve(job.spec.id() + ".json"), job.toJson());
  }

  void forget(String jobId) {
    jobs.remove(jobId);
    delete(jobsDir().resolve(jobId + ".json"));
  }

  Path jobsDir() { return cfg.stateDir().resolve("jobs"); }

  /** Records of migrations out of this node whose outcome is not settled yet. */
  Path outDir() { return cfg.stateDir().resolve("out"); }

  Path outImages(String migrationId) { return cfg.images().resolve("out-" + migrationId); }

  Path inImages(String migrationId) { return cfg.images().resolve("in-" + migrationId); }

  /** Resumes every stopped task of a capsule (CRIU restored them stopped). */
  static void resume(String cgroup) {
    List<Long> pids = Cgroups.pids(cgroup);
    if (pids.isEmpty()) throw new IllegalStateException("no process to resume in cgroup " + cgroup);
    signal("-CONT", pids);
  }

  static void killAll(String cgroup) {
    for (int i = 0; i < 50; i++) {
      List<Long> pids = Cgroups.pids(cgroup);
      if (pids.isEmpty()) return;
      signal("-KILL", pids);
      Util.sleep(100);
      if (Thread.currentThread().isInterrupted()) return;
    }
  }

  static void signal(String sig, List<Long> pids) {
    String[] argv = new String[pids.size() + 2];
    argv[0] = "kill";
    argv[1] = sig;
    for (int i = 0; i < pids.size(); i++) argv[i + 2] = Long.toString(pids.get(i));
    Command.of(argv).runAllowingFailure(10);
  }

  /** Keeps a failed CRIU run's log (its image directory is about to go) in the state directory. */
  void keepLog(Path imageDir, String log, String migrationId) {
    Path from = imageDir.resolve(log);
    if (!Files.exists(from)) return;
    try {
      Path logs = cfg.stateDir().resolve("logs");
      Files.createDirectories(logs);
      Files.copy(from, logs.resolve(migrationId + "-" + log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ignored) {
      // the error message already carries the log's last lines
    }
  }

  static void write(Path file, JsonObject json) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, json.encodePrettily());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static JsonObject read(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static void delete(Path file) {
    try { Files.deleteIfExists(file); } catch (IOException ignored) { }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a leftover image directory is reported by the lab's teardown
    }
  }

  private static void mkdirs(Path dir) {
    try { Files.createDirectories(dir); } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
