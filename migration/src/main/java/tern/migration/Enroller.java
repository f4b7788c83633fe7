package tern.migration;

import io.vertx.core.json.JsonObject;
import tern.admission.Enrollment;
import tern.admission.MacAddress;
import tern.admission.SealedSecret;
import tern.util.Util;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.logging.Logger;

/**
 * A node that boots from the shared root has no secret of its own: before it joins, it asks the
 * gateway's enrollment port for its name and the cluster secret, sealed to a key it made for this boot,
 * and waits (asking again every few seconds) while the admin has not accepted its MAC address or the
 * gateway is not up yet. The secret goes to the secret file (root only, written whole).
 */
final class Enroller {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private static final long RETRY_MS = 3_000;
  /** What it waits for is logged once a minute, not at every try. */
  private static final long SAY_EVERY_MS = 60_000;

  private Enroller() { }

  /** Enrolls (waiting as long as it takes), writes the secret file, and returns the node's name. */
  static String enroll(NodeConfig cfg) {
    MacAddress mac = macOf(cfg.lanIp());
    KeyPair key = SealedSecret.newKeyPair();
    URI uri = URI.create("http://" + cfg.enroll() + Enrollment.PATH);
    byte[] request = new Enrollment.Request(mac, SealedSecret.encode(key.getPublic())).toJson().encode().getBytes(StandardCharsets.UTF_8);
    String lastSaid = null;
    long saidAt = 0;
    for (;;) {
      String waitingFor;
      try {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(request);
        }
        int status = c.getResponseCode();
        JsonObject body = read(status < 400 ? c.getInputStream() : c.getErrorStream());
        if (status == 200) {
          Enrollment.Accepted accepted = Enrollment.Accepted.fromJson(body);
          writeSecret(cfg.secretFile(), SealedSecret.open(accepted.sealedSecret(), key));
          LOG.info("enrolled at " + cfg.enroll() + " as " + accepted.name() + " (MAC " + mac + "); the cluster secret is in " + cfg.secretFile());
          return accepted.name();
        }
        waitingFor = status == 202 ? body.getString("message", "waiting for the admin to accept MAC " + mac)
            : "the gateway refused the enrollment of MAC " + mac + " (" + status + "): " + body.getString("error", body.encode());
      } catch (IOException | RuntimeException e) {
        waitingFor = "waiting for the gateway's enrollment at " + uri + " (" + Util.rootMessage(e) + ")";
      }
      long now = System.currentTimeMillis();
      if (!waitingFor.equals(lastSaid) || now - saidAt >= SAY_EVERY_MS) {
        LOG.info(waitingFor);
        lastSaid = waitingFor;
        saidAt = now;
      }
      Util.sleep(RETRY_MS);
      if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted while enrolling at " + uri);
    }
  }

  /** The MAC address of the interface that holds the node's LAN address: what the gateway sees it as. */
  static MacAddress macOf(String lanIp) {
    try {
      NetworkInterface nic = NetworkInterface.getByInetAddress(InetAddress.getByName(lanIp));
      if (nic == null) throw new IllegalArgumentException("no interface of this node holds its LAN address " + lanIp + " (--lan-ip)");
      return MacAddress.of(nic.getHardwareAddress());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the MAC address of the interface with " + lanIp + ": " + e.getMessage(), e);
    }
  }

  private static JsonObject read(InputStream in) throws IOException {
    if (in == null) return new JsonObject();
    try (in) {
      String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      try {
        return new JsonObject(text);
      } catch (RuntimeException e) {
        return new JsonObject().put("error", text.strip());
      }
    }
  }

  /** Whole or not at all, readable by root only from the moment it exists (on a node, /run: a RAM disk). */
  static void writeSecret(Path file, byte[] secret) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, secret);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the cluster secret to " + file + ": " + e.getMessage(), e);
    }
  }
}
