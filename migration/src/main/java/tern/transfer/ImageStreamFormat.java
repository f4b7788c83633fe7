package tern.transfer;

import tern.cluster.ClusterSecret;

import javax.crypto.Mac;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of an image stream, donor to acceptor:
 * <pre>
 *   header:  "TERNIMG1" | u16 len | migration id | u64 issued-at ms | 16-byte nonce | 32-byte HMAC(header)
 *   frames:  (u32 len | len bytes of deflate output)* | u32 0
 *   trailer: 32-byte HMAC(nonce | every frame byte)
 * </pre>
 * The header is checked before anything is written on the acceptor; the trailer before anything is
 * restored. Inside the deflate stream: (u16 name len | name | u64 size | bytes)* | u16 0.
 */
final class ImageStreamFormat {
  static final byte[] MAGIC = "TERNIMG1".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_FRAME = 1 << 20;
  static final long MAX_HEADER_AGE_MS = 60_000;

  private ImageStreamFormat() { }

  static byte[] headerMac(ClusterSecret secret, String migrationId, long issuedAt, byte[] nonce) {
    Mac mac = secret.mac();
    mac.update(MAGIC);
    mac.update(migrationId.getBytes(StandardCharsets.UTF_8));
    mac.update(ByteBuffer.allocate(8).putLong(issuedAt).array());
    mac.update(nonce);
    return mac.doFinal();
  }

  static Mac bodyMac(ClusterSecret secret, byte[] nonce) {
    Mac mac = secret.mac();
    mac.update(nonce);
    return mac;
  }

  /** Image file names are plain names inside one directory: no paths, so a stream cannot write elsewhere. */
  static boolean validName(String name) {
    return !name.isEmpty() && !name.contains("/") && !name.equals(".") && !name.equals("..") && name.length() <= 255;
  }
}
