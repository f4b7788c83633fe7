package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * Run once by the `tern` launcher with -XX:ArchiveClassesAtExit: it loads the classes a client call
 * needs, so that the JVM's class-data archive holds them and every later `tern` starts in a fraction
 * of the time (each `tern run` in a `make -j8 CC="tern run cc"` pays the client's start).
 */
public final class StartupArchive {
  private StartupArchive() { }

  public static void main(String[] args) {
    JsonObject job = new JsonObject("{\"id\":\"j1\",\"argv\":[\"true\"],\"stdio\":{\"port\":1,\"token\":\"00\"},\"n\":1.5}");
    new JsonArray().add(job).encodePrettily();
    new Table("A", "B").row(Table.bytes(job.getInteger("n", 1)), Table.age(61));
    for (String c : new String[] {"tern.cli.GatewayConnection", "tern.cli.InteractiveSession", "tern.cli.LocalTerminal", "tern.proxy.StdioFrame",
        "sun.misc.Signal", "java.net.Socket", "java.io.DataInputStream", "java.io.BufferedOutputStream"}) {
      try {
        Class.forName(c);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      // a refused connection to the discard port still loads the HTTP client's classes
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:9/v1/jobs").toURL().openConnection();
      c.setConnectTimeout(200);
      c.setRequestMethod("POST");
      c.setRequestProperty("Authorization", "Bearer x");
      c.getResponseCode();
    } catch (IOException e) {
      // expected: nobody listens there
    }
    try {
      Tern.run(java.util.List.of("--help"));
      // a command's own help goes through its argument parser
      Tern.run(java.util.List.of("nodes", "-o", "json", "--help"));
    } catch (CliError e) {
      // not expected, and harmless: the archive is only an optimisation
    }
  }
}
