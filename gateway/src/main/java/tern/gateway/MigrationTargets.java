package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.cluster.CpuFeatures;

import java.util.List;

/**
 * Where a job could be migrated to, node by node, and why not where it cannot: the same refusals the
 * migration and the balancer make, said before anyone tries. Pure.
 */
final class MigrationTargets {
  private MigrationTargets() { }

  /** job: its record; sample: its latest load sample (null: none); nodes: as the API lists them (up, draining, starting, down). */
  static JsonArray of(JsonObject job, JsonObject sample, List<JsonObject> nodes, double maxLocalIoBytesPerSecond) {
    String pinned = pinned(job, sample, maxLocalIoBytesPerSecond);
    CpuFeatures here = nodes.stream().filter(n -> n.getString("name").equals(job.getString("node")) && n.containsKey("cpu"))
        .map(n -> CpuFeatures.fromJson(n.getJsonObject("cpu"))).findFirst().orElse(null);
    JsonArray targets = new JsonArray();
    for (JsonObject n : nodes) {
      String name = n.getString("name");
      String reason = !"running".equals(job.getString("state")) ? "the job is not running"
          : name.equals(job.getString("node")) ? "the job is on it"
          // down, draining, or starting (its migrator takes no command yet)
          : !"up".equals(n.getString("state")) ? n.getString("state")
          : pinned != null ? pinned
          : JobBook.cpuUnfit(job, name, CpuFeatures.fromJson(n.getJsonObject("cpu", new JsonObject())), here).orElse(null);
      JsonObject t = new JsonObject().put("node", name).put("possible", reason == null);
      if (reason != null) t.put("reason", reason);
      targets.add(t);
    }
    return targets;
  }

  /** Why the job cannot leave its node wherever it would go; null: it can. */
  private static String pinned(JsonObject job, JsonObject sample, double maxLocalIo) {
    if (sample == null || !job.getString("node", "").equals(sample.getString("node"))) return null;
    if (sample.getString("localDevice") != null) return "the job holds a local device: " + sample.getString("localDevice");
    double io = sample.getDouble("ioBytesPerSecond", 0.0);
    if (io > maxLocalIo) {
      return String.format("the job does local I/O: %.1f MiB/s, above the limit of %.1f MiB/s", io / 1048576, maxLocalIo / 1048576);
    }
    return null;
  }
}
