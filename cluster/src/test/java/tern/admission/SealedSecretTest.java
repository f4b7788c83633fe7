package tern.admission;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SealedSecretTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void theNodeWhoseKeyItWasSealedToOpensIt() {
    KeyPair node = SealedSecret.newKeyPair();
    JsonObject sealed = SealedSecret.seal(SECRET, SealedSecret.encode(node.getPublic()));
    assertArrayEquals(SECRET, SealedSecret.open(sealed, node));
  }

  @Test
  void whatCrossesTheLanDoesNotHoldTheSecret() {
    KeyPair node = SealedSecret.newKeyPair();
    String onTheWire = SealedSecret.seal(SECRET, SealedSecret.encode(node.getPublic())).encode();
    assertFalse(onTheWire.contains(new String(SECRET, StandardCharsets.UTF_8)), onTheWire);
    assertFalse(onTheWire.contains(Base64.getEncoder().encodeToString(SECRET)), onTheWire);
  }

  @Test
  void anotherKeyCannotOpenIt() {
    KeyPair node = SealedSecret.newKeyPair();
    JsonObject sealed = SealedSecret.seal(SECRET, SealedSecret.encode(node.getPublic()));
    SecurityException e = assertThrows(SecurityException.class, () -> SealedSecret.open(sealed, SealedSecret.newKeyPair()));
    assertEquals(true, e.getMessage().contains("does not open with this node's key"), e.getMessage());
  }

  @Test
  void aChangedEnvelopeDoesNotOpen() {
    KeyPair node = SealedSecret.newKeyPair();
    JsonObject sealed = SealedSecret.seal(SECRET, SealedSecret.encode(node.getPublic()));
    byte[] c = Base64.getDecoder().decode(sealed.getString("ciphertext"));
    c[0] ^= 1;
    sealed.put("ciphertext", Base64.getEncoder().encodeToString(c));
    assertThrows(SecurityException.class, () -> SealedSecret.open(sealed, node));
  }

  @Test
  void aKeyThatIsNotX25519IsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SealedSecret.seal(SECRET, "bm90IGEga2V5"));
    assertEquals(true, e.getMessage().contains("X25519"), e.getMessage());
  }
}
