package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** The lab itself: its shape, its services, membership that follows a node dying and coming back. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class LabTest {

  @Test
  void statusListsNamespacesAddressesAndLiveServices() {
    JsonObject s = Lab.status();
    assertTrue(s.getBoolean("up"));
    JsonObject gw = s.getJsonObject("gateway");
    assertEquals("tern-gw", gw.getString("namespace"));
    assertEquals("10.77.0.2", gw.getString("outsideIp"));
    assertEquals("10.78.0.1", gw.getString("lanIp"));
    assertTrue(gw.getBoolean("alive"));
    JsonArray nodes = s.getJsonArray("nodes");
    assertEquals(3, nodes.size());
    for (int i = 0; i < 3; i++) {
      JsonObject n = nodes.getJsonObject(i);
      assertEquals("tern-n" + (i + 1), n.getString("namespace"));
      assertEquals("10.78.0.1" + (i + 1), n.getString("lanIp"));
      assertTrue(n.getBoolean("alive"));
      assertTrue(Files.exists(Path.of("/run/netns/tern-n" + (i + 1))));
    }
    assertEquals(3, Lab.tern("nodes", "-o", "json").ok().jsonArray().size());
  }

  @Test
  void prometheusMetricsNeedTheTokenAndCountTheNodes() throws Exception {
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    String token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
    var http = java.net.http.HttpClient.newHttpClient();
    var uri = java.net.URI.create(client.getString("url") + "/metrics");
    var ok = http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains("tern_nodes_up 3\n"), ok.body());
    var anonymous = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
  }

  @Test
  void upTwiceIsHarmless() {
    long gwPid = Lab.status().getJsonObject("gateway").getLong("pid");
    Lab.tern("lab", "up").ok();
    assertEquals(gwPid, Lab.status().getJsonObject("gateway").getLong("pid"));
  }

  @Test
  void aNodeThatDiesLeavesTheClusterAndRejoinsWithinTenSeconds() throws Exception {
    JsonObject n3 = Lab.status().getJsonArray("nodes").getJsonObject(2);
    long pid = n3.getLong("pid");
    Lab.run(java.util.List.of("kill", "-KILL", Long.toString(pid)), null, 10);
    long t0 = System.currentTimeMillis();
    // a node that was a member and left is listed as down, so the nodes up are counted
    waitUntil(() -> up(Lab.tern("nodes", "-o", "json").ok().jsonArray()) == 2, 10, () -> "dead node still listed as up after 10 s");
    long gone = System.currentTimeMillis() - t0;
    // the lab's restart loop starts the migrator again, as systemd would
    waitUntil(() -> Lab.status().getJsonArray("nodes").getJsonObject(2).getLong("pid") != pid
        && Lab.status().getJsonArray("nodes").getJsonObject(2).getBoolean("alive"), 20, () -> "migrator not restarted");
    long t1 = System.currentTimeMillis();
    waitUntil(() -> up(Lab.tern("nodes", "-o", "json").ok().jsonArray()) == 3, 10, () -> "restarted node not listed as up within 10 s");
    System.out.println("node death noticed after " + gone + " ms, rejoin listed " + (System.currentTimeMillis() - t1) + " ms after its start");
  }

  private static long up(JsonArray nodes) {
    return nodes.stream().filter(n -> !"down".equals(((JsonObject) n).getString("state"))).count();
  }
}
