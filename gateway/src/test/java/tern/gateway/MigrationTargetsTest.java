package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import tern.cluster.CpuFeatures;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MigrationTargetsTest {
  static JsonObject cpu(String... features) { return new CpuFeatures("amd64", "m", new TreeSet<>(Set.of(features))).toJson(); }

  static JsonObject node(String name, String state, JsonObject cpu) {
    return new JsonObject().put("name", name).put("state", state).put("cpu", cpu);
  }

  static String reason(JsonArray targets, String node) {
    for (Object o : targets) {
      JsonObject t = (JsonObject) o;
      if (t.getString("node").equals(node)) return t.getBoolean("possible") ? "possible" : t.getString("reason");
    }
    throw new AssertionError(node + " is not listed: " + targets.encode());
  }

  @Test
  void eachNodeSaysWhyNotBeforeAnyoneTries() {
    JsonObject poor = cpu("sse2"), rich = cpu("sse2", "xsave", "avx");
    // started on the poor n1, now on the rich n2
    JsonObject job = new JsonObject().put("id", "j1").put("state", "running").put("node", "n2").put("startNode", "n1").put("startCpu", poor);
    JsonArray targets = MigrationTargets.of(job, null, List.of(node("n1", "up", poor), node("n2", "up", rich), node("n3", "up", rich),
        node("n4", "draining", rich), node("n5", "down", poor)), 1e9);
    assertEquals("n1's CPU lacks xsave, avx, whose registers the job's dump would carry from n2 "
        + "(CRIU restores a register state only on a CPU that has it)", reason(targets, "n1"));
    assertEquals("the job is on it", reason(targets, "n2"));
    assertEquals("possible", reason(targets, "n3"));
    assertEquals("draining", reason(targets, "n4"));
    assertEquals("down", reason(targets, "n5"));

    JsonObject back = job.copy().put("node", "n1");
    assertEquals("possible", reason(MigrationTargets.of(back, null, List.of(node("n1", "up", poor), node("n2", "up", rich)), 1e9), "n2"));
  }
}
