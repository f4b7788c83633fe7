package tern.gateway;

import com.hazelcast.cp.IAtomicLong;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.CpuFeatures;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The cluster's jobs (in Hazelcast), written by the gateway only; each entry is the job's JSON record. */
final class JobBook {
  private final IMap<String, String> jobs;
  private final IMap<String, String> load;
  private final IAtomicLong ids;
  private final RetentionLimits retention;

  JobBook(IMap<String, String> jobs, IMap<String, String> load, IAtomicLong ids, RetentionLimits retention) {
    this.jobs = jobs;
    this.load = load;
    this.ids = ids;
    this.retention = retention;
  }

  /** A job id no job of this cluster had before, a restarted gateway's included. */
  String newId() {
    return "j" + ids.incrementAndGet();
  }

  JsonObject get(String id) {
    String text = jobs.get(id);
    if (text == null) {
      // ids are handed out in order: one this cluster gave that has no record any more ended and was removed
      if (id.matches("j[0-9]{1,18}") && Long.parseLong(id.substring(1)) <= ids.get()) {
        throw new RequestError(410, "job " + id + " ended and was removed: " + retention.describe());
      }
      throw new RequestError(404, "unknown job '" + id + "'");
    }
    return new JsonObject(text);
  }

  void put(JsonObject job) { jobs.set(job.getString("id"), job.encode()); }

  /** Read-modify-write of one job under the map's entry lock; a change of state goes through {@link #transition}. */
  JsonObject update(String id, UnaryOperator<JsonObject> change) {
    jobs.lock(id);
    try {
      JsonObject before = get(id);
      JsonObject updated = change.apply(before.copy());
      if (!before.getString("state").equals(updated.getString("state"))) {
        throw new IllegalStateException("job " + id + ": a change of state must be a transition");
      }
      put(updated);
      return updated;
    } finally {
      jobs.unlock(id);
    }
  }

  /** What a transition found and what it left. */
  record Change(JsonObject before, JsonObject after) {
    JobState was() { return JobState.of(before); }
  }

  /**
   * Moves the job to {@code next} and applies {@code change} (which may act, e.g. commit a migration,
   * while the lock is held), atomically, if its state allows it and {@code when} holds of its record;
   * otherwise changes nothing and returns null.
   */
  Change transitionIf(String id, Predicate<JsonObject> when, JobState next, UnaryOperator<JsonObject> change) {
    return transitionIf(id, when, j -> next, change);
  }

  /** {@link #transitionIf} where the next state depends on the record (how a job ends depends on how it was asked to). */
  Change transitionIf(String id, Predicate<JsonObject> when, Function<JsonObject, JobState> nextOf, UnaryOperator<JsonObject> change) {
    jobs.lock(id);
    try {
      JsonObject before = get(id);
      JobState next = nextOf.apply(before);
      if (!JobState.of(before).canBecome(next) || !when.test(before)) return null;
      JsonObject after = change.apply(before.copy()).put("state", next.text());
      put(after);
      return new Change(before, after);
    } finally {
      jobs.unlock(id);
    }
  }

  /** {@link #transitionIf} for a request: a transition the job's state does not allow is a 409 that says why. */
  Change transition(String id, JobState next, UnaryOperator<JsonObject> change) {
    Change c = transitionIf(id, j -> true, next, change);
    if (c == null) {
      JobState now = JobState.of(get(id));
      throw new RequestError(409, "job " + id + " is " + now.text() + (now.ended() ? "" : ", so it cannot be " + verb(next)));
    }
    return c;
  }

  private static String verb(JobState next) {
    return switch (next) {
      case MIGRATING -> "migrated now";
      case KILLING -> "killed now";
      default -> next.text() + " now";
    };
  }

  /** The job with its latest load sample merged in, as `tern ps` shows it. */
  JsonObject view(JsonObject job) {
    JsonObject v = job.copy();
    String sample = JobState.of(job) == JobState.RUNNING ? load.get(job.getString("id")) : null;
    if (sample != null) {
      JsonObject s = new JsonObject(sample);
      if (job.getString("node", "").equals(s.getString("node"))) {
        for (String k : List.of("cpu", "rssBytes", "anonBytes", "ioBytesPerSecond", "hostPid", "processes")) {
          if (s.containsKey(k)) v.put(k, s.getValue(k));
        }
      }
    }
    v.put("ageSeconds", (System.currentTimeMillis() - job.getLong("startedAt", System.currentTimeMillis())) / 1000);
    return v;
  }

  /** The records (no load merged in) of the jobs that hold a place (and a VIP) on a node: every job not ended. */
  List<JsonObject> active() {
    List<JsonObject> list = new ArrayList<>();
    for (String text : jobs.values()) {
      JsonObject j = new JsonObject(text);
      if (!JobState.of(j).ended()) list.add(j);
    }
    return list;
  }

  /** A job record's command line. */
  static List<String> argv(JsonObject job) {
    return job.getJsonArray("argv").stream().map(String::valueOf).toList();
  }

  /**
   * Why the job cannot run on this node's CPU (it lacks a feature of the CPU the job started on, which
   * the job may use, or registers of the CPU the job is on now); empty when it can. here: the CPU of
   * the job's node now (null: unknown).
   */
  static Optional<String> cpuUnfit(JsonObject job, String node, CpuFeatures cpu, CpuFeatures here) {
    JsonObject started = job.getJsonObject("startCpu");
    // every job this build starts has one; without it, the job asks for nothing
    if (started == null) return Optional.empty();
    return cpu.unfitFor(CpuFeatures.fromJson(started), job.getString("startNode"), here, job.getString("node"), node);
  }

  /** The latest load samples (fresh ones only) of these jobs, by id: one round trip for all. */
  java.util.Map<String, JsonObject> samples(java.util.Set<String> ids) {
    java.util.Map<String, JsonObject> out = new java.util.HashMap<>();
    load.getAll(ids).forEach((id, text) -> out.put(id, new JsonObject(text)));
    return out;
  }

  /** Every job's record as it stands (no load merged in), ended ones included. */
  List<JsonObject> records() {
    List<JsonObject> list = new ArrayList<>();
    for (String text : jobs.values()) list.add(new JsonObject(text));
    return list;
  }

  /** Whether a job's record can be removed: it has ended, and no migration still has to release what it held. */
  static boolean removable(JsonObject job) {
    return JobState.of(job).ended() && job.containsKey("endedAt") && !job.getBoolean("releasePending", false);
  }

  /**
   * Removes the record of a job that ended at {@code endedAt}, if it still is that job and {@link #removable};
   * with {@code endedAt} null, only checks that the job has no record. True when it has none left.
   */
  boolean removeEnded(String id, Long endedAt) {
    jobs.lock(id);
    try {
      String text = jobs.get(id);
      if (text == null) return true;
      JsonObject job = new JsonObject(text);
      if (endedAt == null || !removable(job) || job.getLong("endedAt") != endedAt.longValue()) return false;
      jobs.delete(id);
      return true;
    } finally {
      jobs.unlock(id);
    }
  }

  List<JsonObject> all() {
    List<JsonObject> list = new ArrayList<>();
    for (String text : jobs.values()) list.add(view(new JsonObject(text)));
    list.sort(Comparator.comparingLong(j -> Long.parseLong(j.getString("id").substring(1))));
    return list;
  }
}
