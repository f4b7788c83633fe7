package tern.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the gateway's API is and the admin token to use: $TERN_URL/$TERN_TOKEN, or the file the lab writes. */
final class GatewayConnection {
  static final Path LAB_CLIENT = Path.of("/run/tern/lab/client.json");
  private final String url;
  private final String token;

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

  /**
   * Sends a request; returns the JSON answer, or throws {@link CliError} with the gateway's message.
   * HttpURLConnection, not java.net.http: its client costs half a second of start-up, which every
   * `tern run` (think make -j8 CC="tern run cc") would pay.
   */
  String call(String method, String path, JsonObject body, Duration timeout) {
    // a restarting gateway says when to ask again (Retry-After) until it holds the cluster's state
    long giveUpAt = System.currentTimeMillis() + RECOVERY_WAIT_MS;
    for (boolean told = false; ; told = true) {
      try {
        return once(method, path, body, timeout);
      } catch (Recovering r) {
        if (System.currentTimeMillis() + r.retryAfterMs > giveUpAt) throw new CliError(3, r.getMessage() + " (HTTP 503)");
        if (!told) System.err.println("tern: " + r.getMessage() + "; waiting");
        try {
          Thread.sleep(r.retryAfterMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CliError(3, r.getMessage());
        }
      }
    }
  }

  private static final long RECOVERY_WAIT_MS = 90_000;

  /** Between two polls of the gateway; Ctrl-C ends the client as a shell expects. */
  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(130, "interrupted");
    }
  }

  /** A 503 with Retry-After: the gateway is there but not ready yet. */
  private static final class Recovering extends RuntimeException {
    final long retryAfterMs;

    Recovering(String message, long retryAfterMs) {
      super(message, null, false, false);
      this.retryAfterMs = retryAfterMs;
    }
  }

  private String once(String method, String path, JsonObject body, Duration timeout) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
      c.setConnectTimeout(5_000);
      c.setReadTimeout((int) timeout.toMillis());
      c.setRequestMethod(method);
      c.setRequestProperty("Authorization", "Bearer " + token);
      if (body != null) {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream o = c.getOutputStream()) {
          o.write(bytes);
        }
      }
      int status = c.getResponseCode();
      String answer;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String retryAfter = c.getHeaderField("Retry-After");
      if (status == 503 && retryAfter != null && retryAfter.matches("[0-9]{1,3}")) {
        throw new Recovering(errorMessage(answer), Math.max(1, Integer.parseInt(retryAfter)) * 1000L);
      }
      if (status >= 400) throw new CliError(1, errorMessage(answer) + " (HTTP " + status + ")");
      return answer;
    } catch (IOException e) {
      throw new CliError(3, "cannot reach the gateway at " + url + ": " + e);
    }
  }

  private static String errorMessage(String body) {
    try {
      return new JsonObject(body).getString("error", body);
    } catch (RuntimeException e) {
      return body;
    }
  }
}
