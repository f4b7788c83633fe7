package tern.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClusterStateTest {
  static JsonObject node(String name, double cpu, long mem) {
    return new JsonObject().put("name", name).put("state", "up").put("cpuUsed", cpu).put("memUsedBytes", mem);
  }

  static JsonObject job(String id, String node, double cpu, long rss, long age) {
    return new JsonObject().put("id", id).put("node", node).put("state", "running").put("cpu", cpu).put("rssBytes", rss)
        .put("ageSeconds", age).put("argv", new JsonArray().add("sleep").add("100"));
  }

  static ClusterState state(long at, List<JsonObject> nodes, List<JsonObject> jobs, List<JsonObject> migrations, boolean balance) {
    return new ClusterState(at, nodes, jobs, migrations, new JsonObject().put("enabled", balance), List.of());
  }

  /** A PC that waits for the admin, as the admissions list it: under the name it would get, by its MAC address. */
  static JsonObject pendingPc(String mac, String name, long lastSeen) {
    return new JsonObject().put("name", name).put("state", "pending").put("mac", mac).put("lanIp", "10.78.0.9")
        .put("firstSeen", 1L).put("lastSeen", lastSeen);
  }

  static ClusterState withPending(long at, List<JsonObject> nodes, List<JsonObject> pending) {
    return new ClusterState(at, nodes, List.of(), List.of(), new JsonObject(), pending);
  }

  @Test
  void noiseIsNoChange() {
    ClusterState a = state(1, List.of(node("n1", 0.501, 1_048_576)), List.of(job("j1", "n1", 0.251, 4096, 10)), List.of(), false);
    ClusterState b = state(2, List.of(node("n1", 0.499, 1_048_576 + 1000)), List.of(job("j1", "n1", 0.249, 4096 + 1023, 11)), List.of(), false);
    assertNull(b.delta(a), "cpu within 0.01, bytes within a KiB and a second of age are no change");
  }

  @Test
  void aDeltaHasWholeNodesAndMigrationsButOnlyTheChangedFieldsOfAJob() {
    JsonObject m7 = new JsonObject().put("id", "m7").put("jobId", "j1").put("state", "running").put("phase", "prepare");
    ClusterState a = state(1, List.of(node("n1", 0.5, 0), node("n4", 0, 0)), List.of(job("j1", "n1", 1.0, 0, 1), job("j2", "n1", 1.0, 0, 1)),
        List.of(m7), false);
    JsonObject moved = job("j1", "n2", 1.0, 0, 2).put("migrations", 1);
    ClusterState b = state(2, List.of(node("n1", 0.75, 0)), List.of(moved, job("j3", "n1", 0.0, 0, 0)),
        List.of(m7.copy().put("phase", "dump+transfer").put("bytesSent", 2048)), true);
    JsonObject d = b.delta(a);
    assertEquals(2, d.getLong("at"));
    assertEquals(0.75, d.getJsonObject("nodes").getJsonObject("n1").getDouble("cpuUsed"));
    assertEquals("up", d.getJsonObject("nodes").getJsonObject("n1").getString("state"), "a node is sent whole");
    assertEquals(new JsonArray().add("n4"), d.getJsonArray("nodesGone"));
    assertEquals(new JsonObject().put("id", "j1").put("node", "n2").put("migrations", 1), d.getJsonObject("jobs").getJsonObject("j1"));
    assertEquals("sleep", d.getJsonObject("jobs").getJsonObject("j3").getJsonArray("argv").getString(0), "a new job is sent whole");
    assertEquals(new JsonArray().add("j2"), d.getJsonArray("jobsGone"));
    assertEquals("dump+transfer", d.getJsonObject("migrations").getJsonObject("m7").getString("phase"));
    assertEquals("j1", d.getJsonObject("migrations").getJsonObject("m7").getString("jobId"), "a migration is sent whole");
    assertEquals(true, d.getJsonObject("balance").getBoolean("enabled"));
  }

  @Test
  void aFieldAJobNoLongerHasIsSentAsNull() {
    ClusterState a = state(1, List.of(), List.of(job("j1", "n1", 1, 0, 1).put("migrationId", "m3")), List.of(), false);
    ClusterState b = state(2, List.of(), List.of(job("j1", "n1", 1, 0, 1)), List.of(), false);
    JsonObject j1 = b.delta(a).getJsonObject("jobs").getJsonObject("j1");
    assertEquals(true, j1.containsKey("migrationId"));
    assertNull(j1.getValue("migrationId"));
    assertNull(b.delta(a).getValue("balance"), "an unchanged balance is not sent");
  }

  @Test
  void theSnapshotKeepsTheLast100MigrationsOldestFirst() {
    List<JsonObject> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 130; i++) many.add(new JsonObject().put("id", "m" + i));
    JsonArray kept = state(1, List.of(), List.of(), many, false).toJson().getJsonArray("migrations");
    assertEquals(100, kept.size());
    assertEquals("m31", kept.getJsonObject(0).getString("id"));
    assertEquals("m130", kept.getJsonObject(99).getString("id"));
  }

  @Test
  void aPcThatStartsToWaitIsSentWholeByItsMacAndOneThatIsAcceptedIsSentGone() {
    JsonObject a9 = pendingPc("52:54:00:00:00:a9", "n0000a9", 5);
    ClusterState none = withPending(1, List.of(node("n1", 0, 0)), List.of());
    ClusterState waiting = withPending(2, List.of(node("n1", 0, 0)), List.of(a9));
    JsonObject d = waiting.delta(none);
    assertEquals(new JsonObject().put("52:54:00:00:00:a9", a9), d.getJsonObject("pending"));
    assertNull(d.getValue("nodes"), "a waiting PC is no node");
    JsonObject asksAgain = withPending(3, List.of(node("n1", 0, 0)), List.of(a9.copy().put("lastSeen", 8L))).delta(waiting);
    assertEquals(8L, asksAgain.getJsonObject("pending").getJsonObject("52:54:00:00:00:a9").getLong("lastSeen"));
    JsonObject accepted = withPending(4, List.of(node("n1", 0, 0), node("n0000a9", 0, 0)), List.of()).delta(waiting);
    assertEquals(new JsonArray().add("52:54:00:00:00:a9"), accepted.getJsonArray("pendingGone"));
    assertEquals("up", accepted.getJsonObject("nodes").getJsonObject("n0000a9").getString("state"));
  }

  @Test
  void aWaitingPcWithTheNameOfAListedNodeHidesNeitherInTheSnapshot() {
    // a PC forgotten and switched on again asks under the name its old, down member is still listed by
    JsonObject snapshot = withPending(1, List.of(node("n0000a9", 0, 0).put("state", "down")),
        List.of(pendingPc("52:54:00:00:00:a9", "n0000a9", 5))).toJson();
    assertEquals("down", snapshot.getJsonArray("nodes").getJsonObject(0).getString("state"));
    assertEquals("pending", snapshot.getJsonArray("pending").getJsonObject(0).getString("state"));
  }
}
