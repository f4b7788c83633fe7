package tern.admission;

import io.vertx.core.json.JsonObject;

/**
 * How a node asks the gateway for its place in the cluster, both ends: {@code POST /v1/enroll} on the
 * gateway's LAN address with the node's MAC address and a public key it made at boot; the answer says
 * pending (202: the admin has not accepted the MAC yet) or accepted (200: the node's name and the
 * cluster secret sealed to that key); 403 when the claimed MAC is not the one the request came from.
 */
public final class Enrollment {
  public static final String PATH = "/v1/enroll";
  /** The gateway's enrollment port on its LAN address (7071 is the stdio hub's). */
  public static final int DEFAULT_PORT = 7072;

  private Enrollment() { }

  public record Request(MacAddress mac, String publicKey) {
    public JsonObject toJson() { return new JsonObject().put("mac", mac.text()).put("publicKey", publicKey); }

    public static Request fromJson(JsonObject j) {
      String key = j.getString("publicKey");
      if (key == null || key.isBlank() || key.length() > 512) throw new IllegalArgumentException("publicKey: a base64 X25519 public key is wanted");
      return new Request(MacAddress.parse(j.getString("mac")), key);
    }
  }

  /** What the gateway answers a node whose MAC address it has accepted. */
  public record Accepted(String name, JsonObject sealedSecret) {
    public JsonObject toJson() { return new JsonObject().put("state", "accepted").put("name", name).put("secret", sealedSecret); }

    public static Accepted fromJson(JsonObject j) {
      if (!"accepted".equals(j.getString("state")) || j.getString("name") == null || j.getJsonObject("secret") == null) {
        throw new IllegalArgumentException("not an acceptance: " + j.encode());
      }
      return new Accepted(j.getString("name"), j.getJsonObject("secret"));
    }
  }

  /** What a node that waits for the admin is told, and what it logs. */
  public static JsonObject pending(MacAddress mac) {
    return new JsonObject().put("state", "pending")
        .put("message", "waiting for the admin to accept MAC " + mac + ": tern nodes accept " + mac);
  }
}
