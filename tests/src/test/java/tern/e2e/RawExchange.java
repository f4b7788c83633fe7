package tern.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request sent byte for byte on its own connection (no HTTP library would send the bad ones),
 * and its answer read against a deadline that really fires (a watchdog closes the socket, whether
 * the write or the read is stuck): what came back, how long it took, or why nothing did. Interim
 * answers (100 Continue) are skipped.
 */
final class RawExchange {
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "raw-exchange-watchdog");
    t.setDaemon(true);
    return t;
  });

  /** status: the final answer's, or -1 with problem saying why there was none. */
  record Outcome(int status, long millis, String body, String problem) {
    boolean answered() { return status > 0; }

    @Override public String toString() {
      return (answered() ? "HTTP " + status + " in " + millis + " ms: " + body : "no answer after " + millis + " ms: " + problem);
    }
  }

  private RawExchange() { }

  static Outcome send(String host, int port, byte[] request, boolean head, long deadlineMs) {
    long t0 = System.nanoTime();
    Socket s = new Socket();
    ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> closeQuietly(s), deadlineMs, TimeUnit.MILLISECONDS);
    try (s) {
      s.connect(new InetSocketAddress(host, port), (int) deadlineMs);
      try {
        s.getOutputStream().write(request);
      } catch (IOException e) {
        // the server may answer and hang up before it has read it all (a body too large): read on
      }
      InputStream in = new BufferedInputStream(s.getInputStream());
      while (true) {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("[0-9]{3}") ? Integer.parseInt(parts[1]) : -1;
        if (status < 0) return new Outcome(-1, millis(t0), "", "not an HTTP answer: " + statusLine);
        long length = -1;
        for (String h; !(h = line(in)).isEmpty(); ) {
          if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
        }
        if (status < 200) continue;
        String body = head || length <= 0 ? "" : new String(in.readNBytes((int) Math.min(length, 4096)), StandardCharsets.UTF_8);
        return new Outcome(status, millis(t0), body.replaceAll("\\s+", " "), null);
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(-1, millis(t0), "", (millis(t0) >= deadlineMs ? "deadline passed (" : "(") + e + ")");
    } finally {
      watchdog.cancel(false);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing is all that was wanted
    }
  }

  private static long millis(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("connection closed" + (b.size() == 0 ? "" : " after '" + b + "'"));
      if (c != '\r') b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
