package tern.cluster;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The shared secret every cluster member holds. Hazelcast's open-source edition has no member
 * authentication, so every command that can touch a process, and every image stream, carries an
 * HMAC made with this secret, and is checked before anything runs.
 */
public final class ClusterSecret {
  /** Commands older than this are refused, so a captured command cannot be replayed later. */
  static final long MAX_AGE_MS = 120_000;
  private final byte[] key;

  public ClusterSecret(byte[] key) {
    if (key.length < 16) throw new IllegalArgumentException("cluster secret must be at least 16 bytes, got " + key.length);
    this.key = key.clone();
  }

  public static ClusterSecret fromFile(Path file) {
    try {
      String text = Files.readString(file).trim();
      if (text.isEmpty()) throw new IllegalArgumentException("cluster secret file " + file + " is empty");
      return new ClusterSecret(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the cluster secret from " + file + ": " + e.getMessage(), e);
    }
  }

  /** The secret sealed to a node's public key, for the node that the admin accepted (tern.admission.Enrollment). */
  public JsonObject sealTo(String publicKey) { return tern.admission.SealedSecret.seal(key, publicKey); }

  public Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Returns a copy of the command with a timestamp and a proof over its whole content. */
  public JsonObject sign(JsonObject command) {
    JsonObject signed = command.copy();
    signed.remove("proof");
    signed.put("issuedAt", System.currentTimeMillis());
    signed.put("proof", proofOf(signed));
    return signed;
  }

  /** Checks a signed command; throws {@link SecurityException} saying why it is refused. */
  public JsonObject verify(JsonObject signed) {
    if (signed == null) throw new SecurityException("empty command");
    String proof = signed.getString("proof");
    if (proof == null) throw new SecurityException("command carries no cluster proof");
    JsonObject body = signed.copy();
    body.remove("proof");
    if (!MessageDigest.isEqual(HexFormat.of().parseHex(proof.length() == 64 ? proof : "00"),
        HexFormat.of().parseHex(proofOf(body)))) {
      throw new SecurityException("command's cluster proof is wrong (not signed with this cluster's secret)");
    }
    Long issued = body.getLong("issuedAt");
    if (issued == null || Math.abs(System.currentTimeMillis() - issued) > MAX_AGE_MS) {
      throw new SecurityException("command is stale or has no issue time");
    }
    return body;
  }

  private String proofOf(JsonObject body) {
    // Canonical form: keys sorted, so the proof does not depend on map order.
    String canonical = canonical(body);
    return HexFormat.of().formatHex(mac().doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  static String canonical(Object value) {
    if (value instanceof JsonObject o) {
      StringBuilder b = new StringBuilder("{");
      o.fieldNames().stream().sorted().forEach(k -> {
        if (b.length() > 1) b.append(',');
        b.append(io.vertx.core.json.Json.encode(k)).append(':').append(canonical(o.getValue(k)));
      });
      return b.append('}').toString();
    }
    if (value instanceof io.vertx.core.json.JsonArray a) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) b.append(',');
        b.append(canonical(a.getValue(i)));
      }
      return b.append(']').toString();
    }
    return io.vertx.core.json.Json.encode(value);
  }
}
