package tern.request;

import tern.json.JsonFields;

/** A job's PORT to open on the gateway's outside address as PUBLIC (0: a free port of the allowed range). */
public record ExposeRequest(int port, int publicPort) {
  /** {"port": P, "public": Q}, "public" optional. */
  public static ExposeRequest read(JsonFields f) {
    ExposeRequest e = new ExposeRequest((int) f.integer("port", 1, 65535), (int) f.integer("public", 1, 65535, 0));
    f.noOthers();
    return e;
  }
}
