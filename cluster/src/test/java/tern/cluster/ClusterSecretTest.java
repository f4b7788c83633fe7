package tern.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSecretTest {
  private final ClusterSecret secret = new ClusterSecret("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

  @Test
  void signedCommandVerifies() {
    JsonObject cmd = new JsonObject().put("op", "dump").put("jobId", "j1").put("args", new JsonArray().add(1).add("x"));
    JsonObject body = secret.verify(secret.sign(cmd));
    assertEquals("dump", body.getString("op"));
    assertEquals("j1", body.getString("jobId"));
  }

  @Test
  void proofDoesNotDependOnFieldOrder() {
    JsonObject signed = secret.sign(new JsonObject().put("a", 1).put("b", 2));
    JsonObject reordered = new JsonObject().put("proof", signed.getString("proof")).put("issuedAt", signed.getLong("issuedAt"))
        .put("b", 2).put("a", 1);
    secret.verify(reordered);
  }

  @Test
  void commandWithoutProofIsRefused() {
    SecurityException e = assertThrows(SecurityException.class, () -> secret.verify(new JsonObject().put("op", "kill")));
    assertTrue(e.getMessage().contains("no cluster proof"));
  }

  @Test
  void commandSignedWithAnotherSecretIsRefused() {
    ClusterSecret other = new ClusterSecret("another-secret-of-20b".getBytes(StandardCharsets.UTF_8));
    JsonObject forged = other.sign(new JsonObject().put("op", "kill").put("jobId", "j1"));
    assertThrows(SecurityException.class, () -> secret.verify(forged));
  }

  @Test
  void tamperedCommandIsRefused() {
    JsonObject signed = secret.sign(new JsonObject().put("op", "kill").put("jobId", "j1"));
    signed.put("jobId", "j2");
    assertThrows(SecurityException.class, () -> secret.verify(signed));
  }

  @Test
  void staleCommandIsRefused() {
    JsonObject signed = secret.sign(new JsonObject().put("op", "kill"));
    // re-sign by hand with an old issue time: the proof is right, the age is not
    JsonObject old = signed.copy();
    old.remove("proof");
    old.put("issuedAt", System.currentTimeMillis() - ClusterSecret.MAX_AGE_MS - 1000);
    JsonObject replayed = secret.sign(old).put("issuedAt", old.getLong("issuedAt"));
    assertThrows(SecurityException.class, () -> secret.verify(replayed));
  }

  @Test
  void shortSecretIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterSecret(new byte[8]));
  }
}
