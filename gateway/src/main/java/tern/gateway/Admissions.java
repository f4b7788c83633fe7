package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.admission.Enrollment;
import tern.admission.MacAddress;
import tern.cluster.ClusterSecret;
import tern.request.RequestError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Node admission on the gateway: the admission book kept in the state directory (so the accepted PCs
 * survive a restart), the enrollment of a PC that asks, and the admin's accept and forget. A PC gets
 * the cluster secret only once its MAC address is accepted, by the admin or, when the admin turned
 * it on, automatically.
 */
public final class Admissions {
  private static final Logger LOG = Logger.getLogger("tern.admission");

  /** --accept-nodes: manual (the admin accepts each new PC) or auto (every PC that asks is accepted). */
  public enum Mode { MANUAL, AUTO }

  /** Where accepts and refusals are written down ({@link AuditLog#record}). */
  interface Audit {
    void record(String action, String target, String from, String via, String outcome);
  }

  /** An answer to a node's enrollment: the HTTP status and the body. */
  public record Answer(int status, JsonObject body) { }

  private final Path file;
  private final Mode mode;
  private final ClusterSecret secret;
  private final Supplier<Map<String, MacAddress>> liveNames;
  private final Audit audit;
  private final AdmissionBook book;

  /** liveNames: the names the cluster's live node members hold, with their MAC addresses. */
  Admissions(Path file, Mode mode, ClusterSecret secret, Supplier<Map<String, MacAddress>> liveNames, Audit audit) {
    this.file = file;
    this.mode = mode;
    this.secret = secret;
    this.liveNames = liveNames;
    this.audit = audit;
    this.book = load(file);
  }

  /**
   * A PC at sourceIp asks to enroll. neighbours: the MAC address the gateway's LAN link holds for an IP
   * address (the kernel's neighbour table), which the claimed one must be: a PC cannot ask in another's name.
   */
  public Answer enroll(JsonObject body, String sourceIp, java.util.function.Function<String, Optional<MacAddress>> neighbours) {
    Enrollment.Request request;
    try {
      request = Enrollment.Request.fromJson(body);
    } catch (IllegalArgumentException | ClassCastException e) {
      return refuse(400, null, sourceIp, "bad enrollment request: " + e.getMessage());
    }
    MacAddress mac = request.mac();
    Optional<MacAddress> seen = neighbours.apply(sourceIp);
    if (seen.isEmpty() || !seen.get().equals(mac)) {
      return refuse(403, mac, sourceIp, "MAC " + mac + " claimed from " + sourceIp + ", but the LAN's neighbour table has "
          + seen.map(m -> "MAC " + m).orElse("no MAC address") + " for " + sourceIp);
    }
    AdmissionBook.Entry entry;
    synchronized (this) {
      boolean isNew = book.find(mac).isEmpty();
      boolean changed = isNew;
      entry = book.seen(mac, sourceIp, System.currentTimeMillis());
      if (!entry.accepted() && mode == Mode.AUTO) {
        try {
          entry = book.accept(mac, null, liveNames.get(), System.currentTimeMillis());
          changed = true;
          audit.record("accept", mac.text(), sourceIp, "auto", "ok: " + entry.name());
        } catch (RequestError e) {
          audit.record("accept", mac.text(), sourceIp, "auto", e.getMessage());
        }
      }
      // a known PC's retries only move its last-seen time: kept in memory, not written every few seconds
      if (changed) save();
      if (isNew && !entry.accepted()) {
        audit.record("enroll pending", mac.text(), sourceIp, null, "waiting for the admin to accept it");
      }
    }
    if (!entry.accepted()) return new Answer(202, Enrollment.pending(mac));
    MacAddress holder = book.holderOf(entry.name(), mac, liveNames.get());
    if (holder != null) {
      return refuse(409, mac, sourceIp, "name " + entry.name() + " is held by MAC " + holder + "; MAC " + mac
          + " cannot have it too (tern nodes accept " + mac + " --name OTHER)");
    }
    try {
      JsonObject sealed = secret.sealTo(request.publicKey());
      LOG.info("MAC " + mac + " at " + sourceIp + " enrolled as " + entry.name());
      return new Answer(200, new Enrollment.Accepted(entry.name(), sealed).toJson());
    } catch (IllegalArgumentException e) {
      return refuse(400, mac, sourceIp, e.getMessage());
    }
  }

  /** The book: accepted and pending PCs, by MAC address. */
  public synchronized JsonArray list() { return book.toJson(); }

  /** Pending PCs, as node listings (state "pending", the name they would get, MAC and IP). */
  public synchronized List<JsonObject> pendingNodes() {
    return book.entries().stream().filter(e -> !e.accepted()).map(e -> new JsonObject().put("name", e.mac().defaultNodeName())
        .put("state", "pending").put("mac", e.mac().text()).put("lanIp", e.lanIp()).put("cpuCapacity", 0.0).put("cpuUsed", 0.0)
        .put("jobs", 0).put("firstSeen", e.firstSeen()).put("lastSeen", e.lastSeen())).toList();
  }

  public synchronized JsonObject accept(MacAddress mac, String name) {
    AdmissionBook.Entry e = book.accept(mac, name, liveNames.get(), System.currentTimeMillis());
    save();
    return e.toJson();
  }

  public synchronized JsonObject forget(MacAddress mac) {
    AdmissionBook.Entry e = book.forget(mac);
    save();
    return e.toJson();
  }

  private Answer refuse(int status, MacAddress mac, String sourceIp, String why) {
    LOG.warning("enrollment from " + sourceIp + " refused: " + why);
    audit.record("enroll refused", mac == null ? null : mac.text(), sourceIp, null, why);
    return new Answer(status, new JsonObject().put("error", why));
  }

  private static AdmissionBook load(Path file) {
    try {
      return Files.exists(file) ? AdmissionBook.fromJson(new JsonArray(Files.readString(file))) : new AdmissionBook();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the admission book " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whole or not at all: a gateway that dies while writing keeps the book it had. */
  private void save() {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, book.toJson().encodePrettily());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the admission book " + file + ": " + e.getMessage(), e);
    }
  }
}
