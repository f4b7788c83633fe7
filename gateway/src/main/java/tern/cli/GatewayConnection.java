package tern.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the gateway's API is and the admin token to use: $TERN_URL/$TERN_TOKEN, or the file the lab
 * (or `tern vm up`) writes. That file may also say the gateway's pace: how many times slower than a
 * real PC its machines run (an appliance whose CPUs qemu emulates), and so how many times longer
 * each request may take.
 */
final class GatewayConnection {
  static final Path LAB_CLIENT = Path.of("/run/tern/lab/client.json");
  private final String url;
  private final String token;
  private final int pace;

  GatewayConnection(String url, String token, int pace) {
    this.url = url;
    this.token = token;
    this.pace = pace;
  }

  static GatewayConnection find() {
    String url = System.getenv("TERN_URL");
    String token = System.getenv("TERN_TOKEN");
    if (url != null && token != null) return new GatewayConnection(url, token, 1);
    Path config = Path.of(System.getenv().getOrDefault("TERN_CONFIG", LAB_CLIENT.toString()));
    JsonObject c;
    String configuredToken;
    try {
      c = new JsonObject(Files.readString(config));
      configuredToken = Files.readString(Path.of(c.getString("tokenFile"))).trim();
    } catch (IOException | RuntimeException e) {
      throw new CliError(3, "no gateway configured: set TERN_URL and TERN_TOKEN, or bring the lab up (tern lab up); "
          + config + ": " + e.getMessage());
    }
    return new GatewayConnection(c.getString("url"), configuredToken, pace(c, config));
  }

  /** The configuration's pace: 1 when it names none, else a whole number from 1 to 100. */
  static int pace(JsonObject config, Path where) {
    Object p = config.getValue("pace", 1);
    if (p instanceof Integer i && i >= 1 && i <= 100) return i;
    throw new CliError(3, where + ": \"pace\" must be a whole number from 1 to 100 (how many times slower the gateway's machines run), not " + p);
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
    long giveUpAt = System.currentTimeMillis() + RECOVERY_WAIT_MS * pace;
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
      HttpURLConnection c = open(method, path, body, timeout);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      if (e instanceof SocketTimeoutException) {
        // it was reached, and may yet do what it was asked (a start, a move) after the client gave up
        throw new CliError(3, "the gateway at " + url + " did not answer " + method + " " + path + " within "
            + timeout.multipliedBy(pace).toSeconds() + " s" + ("GET".equals(method) ? "" : "; it may still carry it out (see tern ps)"));
      }
      throw new CliError(3, "cannot reach the gateway at " + url + ": " + e);
    }
  }

  /**
   * A GET whose answer is copied to out as it comes (a job's output, followed): until the gateway ends
   * it. readTimeout 0: wait for the next bytes however long (a job may be silent for hours).
   */
  void copy(String path, OutputStream out, Duration readTimeout) {
    try {
      HttpURLConnection c = open("GET", path, null, readTimeout);
      try (InputStream in = c.getInputStream()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new CliError(3, "lost the gateway at " + url + ": " + e);
    }
  }

  /** Sends the request and checks its status: a refusal is a {@link CliError} with the gateway's message. */
  private HttpURLConnection open(String method, String path, JsonObject body, Duration timeout) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
    c.setConnectTimeout(5_000 * pace);
    c.setReadTimeout((int) timeout.multipliedBy(pace).toMillis());
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
    if (status < 400) return c;
    String answer;
    try (InputStream in = c.getErrorStream()) {
      answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String retryAfter = c.getHeaderField("Retry-After");
    if (status == 503 && retryAfter != null && retryAfter.matches("[0-9]{1,3}")) {
      throw new Recovering(errorMessage(answer), Math.max(1, Integer.parseInt(retryAfter)) * 1000L);
    }
    throw new CliError(1, errorMessage(answer) + " (HTTP " + status + ")");
  }

  private static String errorMessage(String body) {
    try {
      return new JsonObject(body).getString("error", body);
    } catch (RuntimeException e) {
      return body;
    }
  }
}
