package tern.api;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cluster's state in Prometheus' text format (version 0.0.4): pure, from what the API already lists. */
public final class PrometheusText {
  private PrometheusText() { }

  public static String of(List<JsonObject> nodes, List<JsonObject> jobs, List<JsonObject> migrations, JsonObject balance,
                          JsonObject retention) {
    StringBuilder b = new StringBuilder();
    header(b, "tern_nodes_up", "gauge", "Nodes that are members of the cluster now.");
    b.append("tern_nodes_up ").append(nodes.stream().filter(n -> !"down".equals(n.getString("state"))).count()).append('\n');
    header(b, "tern_node_cpu_used", "gauge", "CPUs used by jobs on a node (last sample).");
    for (JsonObject n : nodes) {
      b.append("tern_node_cpu_used{node=\"").append(n.getString("name")).append("\"} ").append(n.getDouble("cpuUsed")).append('\n');
    }
    header(b, "tern_node_cpu_capacity", "gauge", "CPUs a node offers to jobs.");
    for (JsonObject n : nodes) {
      b.append("tern_node_cpu_capacity{node=\"").append(n.getString("name")).append("\"} ").append(n.getDouble("cpuCapacity")).append('\n');
    }
    header(b, "tern_node_draining", "gauge", "1 while a node is drained (tern drain, or its shutdown).");
    for (JsonObject n : nodes) b.append("tern_node_draining{node=\"").append(n.getString("name")).append("\"} ")
        .append("draining".equals(n.getString("state")) ? 1 : 0).append('\n');
    header(b, "tern_node_migrator_resident_bytes", "gauge", "Resident memory of a node's migrator (last sample).");
    for (JsonObject n : nodes) {
      if (n.containsKey("migratorRssBytes")) {
        b.append("tern_node_migrator_resident_bytes{node=\"").append(n.getString("name")).append("\"} ")
            .append(n.getLong("migratorRssBytes")).append('\n');
      }
    }
    header(b, "process_resident_memory_bytes", "gauge", "Resident memory of the gateway's own process.");
    b.append("process_resident_memory_bytes ").append(tern.os.MemInfo.selfRssBytes()).append('\n');
    header(b, "tern_balancer_enabled", "gauge", "1 while the balancer moves running jobs (tern balance on).");
    b.append("tern_balancer_enabled ").append(balance.getBoolean("enabled", false) ? 1 : 0).append('\n');
    JsonObject learned = balance.getJsonObject("learned", new JsonObject());
    header(b, "tern_migration_cost_fixed_seconds", "gauge", "The learned fixed part of a migration's freeze.");
    b.append("tern_migration_cost_fixed_seconds ").append(learned.getDouble("migrationFixedSeconds", 0.0)).append('\n');

    Map<String, Integer> byState = new TreeMap<>();
    for (JsonObject j : jobs) byState.merge(j.getString("state"), 1, Integer::sum);
    header(b, "tern_jobs", "gauge", "Jobs the cluster knows, by state.");
    byState.forEach((state, count) -> b.append("tern_jobs{state=\"").append(state).append("\"} ").append(count).append('\n'));

    Map<String, Integer> outcomes = new TreeMap<>();
    double freezeSum = 0;
    long freezeCount = 0;
    long moved = 0;
    for (JsonObject m : migrations) {
      outcomes.merge(m.getString("state"), 1, Integer::sum);
      if (m.containsKey("freezeMs")) {
        freezeSum += m.getLong("freezeMs") / 1000.0;
        freezeCount++;
      }
      moved += m.getLong("bytesMoved", 0L);
    }
    header(b, "tern_migrations_total", "counter", "Migrations, by outcome.");
    outcomes.forEach((state, count) -> b.append("tern_migrations_total{state=\"").append(state).append("\"} ").append(count).append('\n'));
    header(b, "tern_migration_freeze_seconds", "summary", "Time jobs stood frozen in committed migrations.");
    b.append("tern_migration_freeze_seconds_sum ").append(freezeSum).append('\n');
    b.append("tern_migration_freeze_seconds_count ").append(freezeCount).append('\n');
    header(b, "tern_migration_bytes_moved_total", "counter", "Image bytes sent over the LAN by migrations (after compression).");
    b.append("tern_migration_bytes_moved_total ").append(moved).append('\n');

    header(b, "tern_retention_removed_jobs_total", "counter",
        "Ended jobs removed (record and output) since the gateway started, by the limit that removed them.");
    retention.getJsonObject("removedJobs", new JsonObject()).forEach(e ->
        b.append("tern_retention_removed_jobs_total{reason=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n'));
    header(b, "tern_retention_removed_bytes_total", "counter", "Bytes of ended jobs' output removed since the gateway started.");
    b.append("tern_retention_removed_bytes_total ").append(retention.getLong("removedBytes", 0L)).append('\n');
    header(b, "tern_job_output_bytes", "gauge", "Bytes of jobs' output kept (running and ended jobs), at the last sweep.");
    b.append("tern_job_output_bytes ").append(retention.getLong("outputBytes", 0L)).append('\n');
    header(b, "tern_job_output_limit_bytes", "gauge", "The budget for jobs' output (--keep-output).");
    b.append("tern_job_output_limit_bytes ").append(retention.getLong("keepOutputBytes", 0L)).append('\n');
    return b.toString();
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }
}
