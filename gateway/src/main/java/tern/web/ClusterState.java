package tern.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the page shows, at one moment, with the noise taken out (CPU to 0.01, bytes to KiB, no age that
 * ticks every second: the page counts age from startedAt), so that equal means "nothing to tell".
 * Pure: {@link #delta} says what changed from one to the next, for the push stream.
 */
public final class ClusterState {
  final long at;
  final Map<String, JsonObject> nodes;
  final Map<String, JsonObject> jobs;
  final Map<String, JsonObject> migrations;
  final JsonObject balance;
  final Map<String, JsonObject> pending;

  /**
   * Raw as the API lists them; migrations oldest first (the last 100 are kept); pending: the PCs that wait
   * for the admin to accept them, by MAC address (the name each would get may be a listed node's, e.g.
   * one that was forgotten and left).
   */
  public ClusterState(long at, List<JsonObject> nodes, List<JsonObject> jobs, List<JsonObject> migrations, JsonObject balance,
                      List<JsonObject> pending) {
    this.at = at;
    this.nodes = byKey(nodes, "name");
    this.pending = byKey(pending, "mac");
    this.jobs = byKey(jobs, "id");
    this.migrations = byKey(migrations.subList(Math.max(0, migrations.size() - 100), migrations.size()), "id");
    this.balance = quiet(balance);
  }

  private static Map<String, JsonObject> byKey(List<JsonObject> list, String key) {
    Map<String, JsonObject> m = new LinkedHashMap<>();
    for (JsonObject o : list) m.put(o.getString(key), quiet(o));
    return m;
  }

  /** A copy without the noise: doubles to 0.01, byte counts to whole KiB, ageSeconds gone. */
  static JsonObject quiet(JsonObject o) {
    JsonObject q = new JsonObject();
    for (Map.Entry<String, Object> e : o) {
      String k = e.getKey();
      Object v = e.getValue();
      if (k.equals("ageSeconds")) continue;
      if (v instanceof JsonObject j) v = quiet(j);
      else if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) v = Math.round(d * 100) / 100.0;
      else if (v instanceof Float f) v = Math.round(f * 100) / 100.0;
      else if (v instanceof Number n && k.endsWith("Bytes") && !(v instanceof Double)) v = n.longValue() / 1024 * 1024;
      q.put(k, v);
    }
    return q;
  }

  /** The snapshot's body (events, audit and cpu history come from the stream, which keeps them). */
  JsonObject toJson() {
    return new JsonObject().put("at", at).put("nodes", new JsonArray(List.copyOf(nodes.values())))
        .put("jobs", new JsonArray(List.copyOf(jobs.values()))).put("migrations", new JsonArray(List.copyOf(migrations.values())))
        .put("balance", balance).put("pending", new JsonArray(List.copyOf(pending.values())));
  }

  /**
   * What changed from {@code before} to {@code this}: nodes, pending PCs and migrations whole, jobs only their
   * changed fields (with their id), what is gone by key, the balance when it changed. Null: nothing changed.
   */
  JsonObject delta(ClusterState before) {
    JsonObject d = new JsonObject();
    JsonObject nodesChanged = changedWhole(before.nodes, nodes);
    if (!nodesChanged.isEmpty()) d.put("nodes", nodesChanged);
    JsonArray nodesGone = gone(before.nodes, nodes);
    if (!nodesGone.isEmpty()) d.put("nodesGone", nodesGone);
    JsonObject jobsChanged = new JsonObject();
    jobs.forEach((id, job) -> {
      JsonObject was = before.jobs.get(id);
      JsonObject fields = new JsonObject();
      for (Map.Entry<String, Object> e : job) {
        if (was == null || !Objects.equals(was.getValue(e.getKey()), e.getValue())) fields.put(e.getKey(), e.getValue());
      }
      // a field the job no longer has (an exit status cleared, a migration id removed) is sent as null
      if (was != null) for (String k : was.fieldNames()) if (!job.containsKey(k)) fields.putNull(k);
      if (!fields.isEmpty()) jobsChanged.put(id, fields.put("id", id));
    });
    if (!jobsChanged.isEmpty()) d.put("jobs", jobsChanged);
    JsonArray jobsGone = gone(before.jobs, jobs);
    if (!jobsGone.isEmpty()) d.put("jobsGone", jobsGone);
    JsonObject migrationsChanged = changedWhole(before.migrations, migrations);
    if (!migrationsChanged.isEmpty()) d.put("migrations", migrationsChanged);
    if (!balance.equals(before.balance)) d.put("balance", balance);
    JsonObject pendingChanged = changedWhole(before.pending, pending);
    if (!pendingChanged.isEmpty()) d.put("pending", pendingChanged);
    JsonArray pendingGone = gone(before.pending, pending);
    if (!pendingGone.isEmpty()) d.put("pendingGone", pendingGone);
    return d.isEmpty() ? null : d.put("at", at);
  }

  private static JsonObject changedWhole(Map<String, JsonObject> before, Map<String, JsonObject> now) {
    JsonObject changed = new JsonObject();
    now.forEach((k, v) -> {
      if (!v.equals(before.get(k))) changed.put(k, v);
    });
    return changed;
  }

  private static JsonArray gone(Map<String, JsonObject> before, Map<String, JsonObject> now) {
    JsonArray gone = new JsonArray();
    for (String k : before.keySet()) if (!now.containsKey(k)) gone.add(k);
    return gone;
  }
}
