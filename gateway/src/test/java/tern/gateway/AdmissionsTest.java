package tern.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tern.admission.Enrollment;
import tern.admission.MacAddress;
import tern.admission.SealedSecret;
import tern.cluster.ClusterSecret;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enrollment as the gateway answers it: the MAC check, pending until accepted, the sealed secret, the book on disk. */
class AdmissionsTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:ab");
  private static final String IP = "10.78.0.100";
  private static final Function<String, Optional<MacAddress>> NEIGHBOURS = ip -> ip.equals(IP) ? Optional.of(MAC) : Optional.empty();
  @TempDir Path dir;
  private final List<String> audit = new ArrayList<>();
  private final KeyPair key = SealedSecret.newKeyPair();

  private Admissions admissions(Admissions.Mode mode, Map<String, MacAddress> live) {
    return new Admissions(dir.resolve("admissions.json"), mode, new ClusterSecret(SECRET), () -> live,
        (action, target, from, via, outcome) -> audit.add(action + " " + target + " " + outcome));
  }

  private JsonObject request(MacAddress mac) { return new Enrollment.Request(mac, SealedSecret.encode(key.getPublic())).toJson(); }

  @Test
  void aMacThatIsNotTheOneTheRequestCameFromIsRefusedWithTheReason() {
    Admissions a = admissions(Admissions.Mode.MANUAL, Map.of());
    Admissions.Answer answer = a.enroll(request(MacAddress.parse("52:54:00:99:99:99")), IP, NEIGHBOURS);
    assertEquals(403, answer.status());
    assertTrue(answer.body().getString("error").contains("52:54:00:99:99:99") && answer.body().getString("error").contains(MAC.text()),
        answer.body().encode());
    assertEquals(0, a.list().size(), "a refused claim is not recorded");
    assertTrue(audit.get(0).startsWith("enroll refused"), audit.toString());
  }

  @Test
  void anUnknownPcWaitsForTheAdminAndIsToldHow() {
    Admissions a = admissions(Admissions.Mode.MANUAL, Map.of());
    Admissions.Answer answer = a.enroll(request(MAC), IP, NEIGHBOURS);
    assertEquals(202, answer.status());
    assertEquals("waiting for the admin to accept MAC " + MAC + ": tern nodes accept " + MAC, answer.body().getString("message"));
    assertEquals("pending", a.pendingNodes().get(0).getString("state"));
    assertEquals(IP, a.pendingNodes().get(0).getString("lanIp"));
  }

  @Test
  void anAcceptedPcGetsItsNameAndTheSecretThatOnlyItsKeyOpens() {
    Admissions a = admissions(Admissions.Mode.MANUAL, Map.of());
    a.enroll(request(MAC), IP, NEIGHBOURS);
    a.accept(MAC, "lab4");
    Admissions.Answer answer = a.enroll(request(MAC), IP, NEIGHBOURS);
    assertEquals(200, answer.status());
    Enrollment.Accepted accepted = Enrollment.Accepted.fromJson(answer.body());
    assertEquals("lab4", accepted.name());
    assertArrayEquals(SECRET, SealedSecret.open(accepted.sealedSecret(), key));
    assertTrue(a.pendingNodes().isEmpty());
  }

  @Test
  void automaticAcceptanceTakesAPcAtItsFirstRequest() {
    Admissions a = admissions(Admissions.Mode.AUTO, Map.of());
    Admissions.Answer answer = a.enroll(request(MAC), IP, NEIGHBOURS);
    assertEquals(200, answer.status());
    assertEquals(MAC.defaultNodeName(), answer.body().getString("name"));
  }

  @Test
  void anAcceptedPcWhoseNameALiveMemberOfAnotherMacHoldsIsRefusedNamingBoth() {
    MacAddress other = MacAddress.parse("52:54:00:00:00:01");
    Map<String, MacAddress> live = new java.util.HashMap<>();
    Admissions a = admissions(Admissions.Mode.MANUAL, live);
    a.accept(MAC, "n1");
    live.put("n1", other);
    Admissions.Answer answer = a.enroll(request(MAC), IP, NEIGHBOURS);
    assertEquals(409, answer.status());
    assertTrue(answer.body().getString("error").contains(other.text()) && answer.body().getString("error").contains(MAC.text()),
        answer.body().encode());
  }

  @Test
  void theAcceptedListSurvivesARestart() {
    admissions(Admissions.Mode.MANUAL, Map.of()).accept(MAC, "lab4");
    Admissions restarted = admissions(Admissions.Mode.MANUAL, Map.of());
    Admissions.Answer answer = restarted.enroll(request(MAC), IP, NEIGHBOURS);
    assertEquals(200, answer.status());
    assertEquals("lab4", answer.body().getString("name"));
  }

  @Test
  void aForgottenPcMustBeAcceptedAgain() {
    Admissions a = admissions(Admissions.Mode.MANUAL, Map.of());
    a.accept(MAC, null);
    a.forget(MAC);
    assertEquals(202, a.enroll(request(MAC), IP, NEIGHBOURS).status());
  }
}
