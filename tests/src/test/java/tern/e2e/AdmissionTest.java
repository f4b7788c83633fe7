package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * A PC switched on for the first time: a lab node started with --enroll and no secret file. It is
 * listed pending and takes no part until the admin accepts its MAC address; then it gets the cluster
 * secret from the gateway, joins and runs a job. A claim of another MAC is refused, so is a name that
 * another MAC holds, and the accepted list outlives a gateway restart.
 */
@ExtendWith(Lab.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionTest {
  private static final Path LAB = Path.of("/run/tern/lab");
  private static NewPc pc;
  private static String name;
  private static String lanIp;
  private static String mac;

  @BeforeAll
  static void switchOnANewPc() {
    pc = NewPc.switchOn();
    name = pc.name();
    lanIp = pc.lanIp();
    mac = pc.mac();
  }

  @AfterAll
  static void switchItOff() {
    if (pc != null) pc.switchOff();
  }

  private static JsonObject listed() { return Lab.nodeWithMac(mac); }

  @Test
  @Order(1)
  void aNewPcIsListedPendingAndHoldsNoSecretUntilAccepted() throws Exception {
    waitUntil(() -> listed() != null, 90, () -> "the new PC (MAC " + mac + ") was never listed by tern nodes: " + Lab.tern("nodes").stdout());
    Thread.sleep(5_000);  // it has asked again since: still pending, still no member
    JsonObject n = listed();
    assertEquals("pending", n.getString("state"), n.encode());
    assertEquals(lanIp, n.getString("lanIp"), n.encode());
    assertFalse(Files.exists(LAB.resolve(name).resolve("cluster-secret")), "a PC not accepted must not hold the cluster secret");
    String text = Lab.tern("nodes").stderr();
    assertTrue(text.contains("tern nodes accept " + mac), text);
  }

  @Test
  @Order(2)
  void aClaimOfAnotherMacIsRefusedWithTheReason() {
    String body = "{\"mac\": \"02:00:00:00:00:01\", \"publicKey\": \"bm90IHVzZWQ=\"}";
    Lab.Result r = Lab.run(List.of("nsenter", "--net=/run/netns/tern-" + name, "curl", "-s", "-w", "\n%{http_code}",
        "-H", "Content-Type: application/json", "-d", body, "http://10.78.0.1:7072/v1/enroll"), null, 30).ok();
    String[] lines = r.stdout().trim().split("\n");
    assertEquals("403", lines[lines.length - 1], r.stdout());
    assertTrue(r.stdout().contains("02:00:00:00:00:01") && r.stdout().contains(mac), r.stdout());
  }

  @Test
  @Order(3)
  void acceptingItUnderANameAnotherMacHoldsIsRefusedNamingBoth() {
    String n1Mac = Lab.tern("nodes", "-o", "json").ok().jsonArray().stream().map(JsonObject.class::cast)
        .filter(n -> "n1".equals(n.getString("name"))).findFirst().orElseThrow().getString("mac");
    Lab.Result r = Lab.tern("nodes", "accept", mac, "--name", "n1");
    assertNotEquals(0, r.exit(), r.stdout());
    assertTrue(r.stderr().contains(mac) && r.stderr().contains(n1Mac), r.stderr());
    assertEquals("pending", listed().getString("state"), "a refused acceptance changes nothing");
  }

  @Test
  @Order(4)
  void onceAcceptedItJoinsWithTheSecretAndRunsAJob() throws Exception {
    Lab.tern("nodes", "accept", mac, "--name", name).ok();
    // accepted, it is listed again only once it is a member (starting, then up)
    waitUntil(() -> listed() != null && "up".equals(listed().getString("state")), 120, () -> "the accepted PC did not come up: " + listed());
    assertEquals(name, listed().getString("name"));
    Path secret = LAB.resolve(name).resolve("cluster-secret");
    assertEquals(Files.readString(LAB.resolve("cluster-secret")).trim(), Files.readString(secret).trim());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    Lab.Result ran = Lab.run(List.of(Lab.ROOT.resolve("tern").toString(), "run", "--node", name, "--user", "nobody", "--",
        "/bin/echo", "admitted"), Path.of("/tmp"), 120).ok();
    assertEquals("admitted", ran.stdout().trim());
  }

  @Test
  @Order(5)
  void theAcceptedListSurvivesAGatewayRestart() throws Exception {
    long gateway = Long.parseLong(Files.readString(LAB.resolve("gateway.pid")).trim());
    Lab.run(List.of("kill", "-KILL", Long.toString(gateway)), null, 10).ok();
    waitUntil(() -> Lab.tern(List.of("nodes"), 30).exit() == 0, 120, () -> "the gateway did not come back");
    String token = Files.readString(LAB.resolve("admin-token")).trim();
    JsonArray book = new JsonArray(Lab.run(List.of("curl", "-s", "-H", "Authorization: Bearer " + token,
        "http://10.77.0.2:7070/v1/admissions"), null, 30).ok().stdout());
    JsonObject entry = book.stream().map(JsonObject.class::cast).filter(e -> mac.equals(e.getString("mac"))).findFirst()
        .orElseThrow(() -> new AssertionError("MAC " + mac + " is not in the book after the restart: " + book.encode()));
    assertEquals("accepted", entry.getString("state"), entry.encode());
    assertEquals(name, entry.getString("name"), entry.encode());
  }
}
