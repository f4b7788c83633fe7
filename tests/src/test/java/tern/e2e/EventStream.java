package tern.e2e;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A server-sent event stream, read on its own thread: each event as it comes, with when it came. */
final class EventStream implements AutoCloseable {
  record Event(String type, String id, JsonObject data, long receivedAt) { }

  private final InputStream in;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile String comments = "";

  EventStream(InputStream in) {
    this.in = in;
    Thread t = new Thread(this::read, "event-stream");
    t.setDaemon(true);
    t.start();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String type = "message", id = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data.length() > 0) events.add(new Event(type, id, new JsonObject(data.toString()), System.nanoTime()));
          type = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments += line + "\n";
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      events.add(new Event("end", id, new JsonObject(), System.nanoTime()));
    } catch (IOException e) {
      events.add(new Event("end", null, new JsonObject().put("error", e.toString()), System.nanoTime()));
    }
  }

  /** The next event within the time, or an AssertionError saying what did not come. */
  Event next(long millis, String waitingFor) throws InterruptedException {
    Event e = events.poll(millis, TimeUnit.MILLISECONDS);
    if (e == null) throw new AssertionError("no event within " + millis + " ms (waiting for " + waitingFor + ")");
    return e;
  }

  String comments() { return comments; }

  @Override public void close() throws IOException { in.close(); }
}
