package tern.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the gateway's API is and the admin token to use: $TERN_URL/$TERN_TOKEN, or the file the lab writes. */
final class GatewayConnection {
  static final Path LAB_CLIENT = Path.of("/run/tern/lab/client.json");
  private final String url;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayConnection(String url, String token) {
    this.url = url;
    this.token = token;
  }

  static GatewayConnection find() {
    String url = System.getenv("TERN_URL");
    String token = System.getenv("TERN_TOKEN");
    if (url != null && token != null) return new GatewayConnection(url, token);
    Path config = Path.of(System.getenv().getOrDefault("TERN_CONFIG", LAB_CLIENT.toString()));
    try {
      JsonObject c = new JsonObject(Files.readString(config));
      return new GatewayConnection(c.getString("url"), Files.readString(Path.of(c.getString("tokenFile"))).trim());
    } catch (IOException | RuntimeException e) {
      throw new CliError(3, "no gateway configured: set TERN_URL and TERN_TOKEN, or bring the lab up (tern lab up); "
          + config + ": " + e.getMessage());
    }
  }

  /** The gateway's host, for its other ports (stdio). */
  String host() { return URI.create(url).getHost(); }

  /** Sends a request; returns the JSON answer, or throws {@link CliError} with the gateway's message. */
  String call(String method, String path, JsonObject body, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliError(3, "cannot reach the gateway at " + url + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(130, "interrupted");
    }
    if (r.statusCode() >= 400) {
      String message;
      try {
        message = new JsonObject(r.body()).getString("error", r.body());
      } catch (RuntimeException e) {
        message = r.body();
      }
      throw new CliError(1, message + " (HTTP " + r.statusCode() + ")");
    }
    return r.body();
  }
}
