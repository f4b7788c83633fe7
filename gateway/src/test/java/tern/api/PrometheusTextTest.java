package tern.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {
  @Test
  void countsJobsByStateAndMigrationsByOutcome() {
    String text = PrometheusText.of(
        List.of(new JsonObject().put("name", "n1").put("cpuUsed", 0.25).put("cpuCapacity", 0.5).put("state", "draining")),
        List.of(new JsonObject().put("state", "running"), new JsonObject().put("state", "running"), new JsonObject().put("state", "exited")),
        List.of(new JsonObject().put("state", "committed").put("freezeMs", 1500L).put("bytesMoved", 1000L),
            new JsonObject().put("state", "committed").put("freezeMs", 500L).put("bytesMoved", 24L),
            new JsonObject().put("state", "aborted")),
        new JsonObject().put("enabled", true).put("learned", new JsonObject().put("migrationFixedSeconds", 0.25)),
        new JsonObject().put("removedJobs", new JsonObject().put("age", 3L).put("size", 2L)).put("removedBytes", 4096L)
            .put("outputBytes", 1000L).put("keepOutputBytes", 2048L));
    assertTrue(text.contains("tern_nodes_up 1\n"), text);
    assertTrue(text.contains("tern_node_cpu_used{node=\"n1\"} 0.25\n"), text);
    assertTrue(text.contains("tern_jobs{state=\"running\"} 2\n"), text);
    assertTrue(text.contains("tern_jobs{state=\"exited\"} 1\n"), text);
    assertTrue(text.contains("tern_migrations_total{state=\"committed\"} 2\n"), text);
    assertTrue(text.contains("tern_migrations_total{state=\"aborted\"} 1\n"), text);
    assertTrue(text.contains("tern_migration_freeze_seconds_sum 2.0\n"), text);
    assertTrue(text.contains("tern_migration_freeze_seconds_count 2\n"), text);
    assertTrue(text.contains("tern_migration_bytes_moved_total 1024\n"), text);
    assertTrue(text.contains("# TYPE tern_migrations_total counter\n"), text);
    assertTrue(text.contains("tern_node_draining{node=\"n1\"} 1\n"), text);
    assertTrue(text.contains("tern_balancer_enabled 1\n"), text);
    assertTrue(text.contains("tern_migration_cost_fixed_seconds 0.25\n"), text);
    assertTrue(text.contains("tern_retention_removed_jobs_total{reason=\"age\"} 3\n"), text);
    assertTrue(text.contains("tern_retention_removed_jobs_total{reason=\"size\"} 2\n"), text);
    assertTrue(text.contains("tern_retention_removed_bytes_total 4096\n"), text);
    assertTrue(text.contains("tern_job_output_bytes 1000\n"), text);
    assertTrue(text.contains("tern_job_output_limit_bytes 2048\n"), text);
  }
}
