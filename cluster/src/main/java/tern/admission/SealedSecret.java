package tern.admission;

import io.vertx.core.json.JsonObject;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The cluster secret on its way from the gateway to a node that was accepted: sealed to a key the node
 * made at boot and never sent, so a listener on the LAN sees the envelope but not what is in it.
 * X25519 and AES-256-GCM from the JDK: quick on a slow PC, where an RSA key of the same strength
 * takes seconds to make. The gateway makes a fresh key of its own for each envelope.
 */
public final class SealedSecret {
  private static final String CONTEXT = "tern cluster secret v1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SealedSecret() { }

  /** The node's key for one enrollment: made at start, kept in memory only. */
  public static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance("X25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 unavailable in this JDK", e);
    }
  }

  /** A public key as it travels: X.509 SubjectPublicKeyInfo, base64. */
  public static String encode(PublicKey key) { return Base64.getEncoder().encodeToString(key.getEncoded()); }

  /** Seals the secret to the node's public key (as {@link #encode} wrote it). */
  public static JsonObject seal(byte[] secret, String recipientKey) {
    try {
      PublicKey recipient = decode(recipientKey);
      KeyPair mine = newKeyPair();
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher aes = cipher(Cipher.ENCRYPT_MODE, key(mine, recipient, encode(mine.getPublic()), recipientKey), nonce);
      Base64.Encoder b64 = Base64.getEncoder();
      return new JsonObject().put("alg", "X25519-AES256GCM").put("senderKey", encode(mine.getPublic()))
          .put("nonce", b64.encodeToString(nonce)).put("ciphertext", b64.encodeToString(aes.doFinal(secret)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot seal to the public key given (" + e.getMessage()
          + "): an X25519 key, X.509 and base64, is wanted", e);
    }
  }

  /** Opens an envelope sealed to this key pair; throws {@link SecurityException} when it was not, or was changed. */
  public static byte[] open(JsonObject sealed, KeyPair mine) {
    try {
      String senderKey = sealed.getString("senderKey");
      Base64.Decoder b64 = Base64.getDecoder();
      Cipher aes = cipher(Cipher.DECRYPT_MODE, key(mine, decode(senderKey), senderKey, encode(mine.getPublic())),
          b64.decode(sealed.getString("nonce")));
      return aes.doFinal(b64.decode(sealed.getString("ciphertext")));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SecurityException("the sealed cluster secret does not open with this node's key: " + e.getMessage(), e);
    }
  }

  private static PublicKey decode(String key) throws GeneralSecurityException {
    if (key == null) throw new IllegalArgumentException("no public key");
    return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key)));
  }

  /** The AES key: SHA-256 over the shared X25519 value and both public keys, so it belongs to this one exchange. */
  private static SecretKeySpec key(KeyPair mine, PublicKey theirs, String senderKey, String recipientKey) throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(mine.getPrivate());
    agreement.doPhase(theirs, true);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(CONTEXT.getBytes(StandardCharsets.UTF_8));
    sha.update(agreement.generateSecret());
    sha.update(senderKey.getBytes(StandardCharsets.US_ASCII));
    sha.update(recipientKey.getBytes(StandardCharsets.US_ASCII));
    return new SecretKeySpec(sha.digest(), "AES");
  }

  private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce) throws GeneralSecurityException {
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(mode, key, new GCMParameterSpec(128, nonce));
    aes.updateAAD(CONTEXT.getBytes(StandardCharsets.UTF_8));
    return aes;
  }
}
