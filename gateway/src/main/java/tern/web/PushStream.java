package tern.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tern.gateway.Admissions;
import tern.gateway.GatewayOperations;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * GET /ui/stream: the cluster pushed to open pages as server-sent events. One publisher, once a
 * second, reads the cluster's state and computes one delta ({@link ClusterState#delta}), encoded once
 * and written to every page; a new page gets a snapshot first; a page that reconnects with
 * Last-Event-ID gets the deltas it missed while they are still held, else a snapshot. A page that
 * does not read what it is sent is dropped (its browser reconnects), not buffered without bound; a
 * stream ends when its session does (logout, expiry). All its state is the event loop's.
 */
public final class PushStream {
  private static final Logger LOG = Logger.getLogger("tern.web");
  static final long TICK_MS = 1_000;
  static final long KEEPALIVE_MS = 15_000;
  /** Deltas held for a page that reconnects: a minute of them. */
  static final int HELD_DELTAS = 60;
  /** CPU history per node: ten minutes of one-second samples. */
  static final int CPU_POINTS = 600;
  private static final int RECENT = 100;
  private final Vertx vertx;
  private final GatewayOperations gateway;
  private final Admissions admissions;
  private final Sessions sessions;
  /** Tells a restarted gateway's ids from its former self's: a Last-Event-ID of another epoch gets a snapshot. */
  private final String epoch = Long.toString(System.currentTimeMillis(), 36);
  private final Set<Page> pages = new HashSet<>();
  private final List<Page> waiting = new ArrayList<>();
  private final Deque<Held> held = new ArrayDeque<>();
  private final Map<String, Deque<JsonArray>> cpu = new HashMap<>();
  private final Deque<JsonObject> events = new ArrayDeque<>();
  private final Deque<JsonObject> audit = new ArrayDeque<>();
  private long eventSeq = -1;
  private long auditSeq = -1;
  private long seq;
  private ClusterState state;
  private String snapshot;
  private boolean reading;
  private long lastWriteAt;

  private record Page(String session, HttpServerResponse response) { }

  private record Held(long seq, String text) { }

  /** What one tick read from the cluster (on a worker thread). */
  private record Read(ClusterState state, List<JsonObject> events, List<JsonObject> audit) { }

  /** admissions: the PCs that wait for the admin, shown beside the nodes. */
  public PushStream(Vertx vertx, GatewayOperations gateway, Admissions admissions, Sessions sessions) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.admissions = admissions;
    this.sessions = sessions;
  }

  /** Starts the publisher: one tick a second, for as long as the gateway runs. */
  public void start() {
    vertx.setPeriodic(TICK_MS, t -> tick());
  }

  /** GET /ui/stream (its guard has checked the session). */
  public void open(RoutingContext ctx, String sessionId) {
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8").putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // no compression: each event must leave when it is written
        .putHeader(HttpHeaders.CONTENT_ENCODING, "identity");
    Page page = new Page(sessionId, response);
    response.closeHandler(v -> drop(page));
    response.exceptionHandler(e -> drop(page));
    String last = ctx.request().getHeader("Last-Event-ID");
    Long resumeAfter = resumable(last);
    if (state != null && resumeAfter != null) {
      for (Held h : held) if (h.seq > resumeAfter) response.write(h.text);
      pages.add(page);
    } else if (state != null) {
      response.write(snapshotText());
      pages.add(page);
    } else {
      // nobody was watching, so nothing is held: the next tick reads the state and sends the snapshot
      waiting.add(page);
      tick();
    }
  }

  /** The sequence number after which a page's missed deltas are all held; null: they are not (a snapshot then). */
  private Long resumable(String lastEventId) {
    if (lastEventId == null || !lastEventId.startsWith(epoch + "-")) return null;
    long n;
    try {
      n = Long.parseLong(lastEventId.substring(epoch.length() + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    long oldest = held.isEmpty() ? seq + 1 : held.peekFirst().seq;
    return n >= oldest - 1 && n <= seq ? n : null;
  }

  private void tick() {
    boolean watched = !pages.isEmpty() || !waiting.isEmpty();
    // a gateway still recovering the cluster's state has none to show (a waiting page waits for it)
    if (reading || !gateway.ready()) return;
    reading = true;
    vertx.executeBlocking(() -> read(watched), false).onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        LOG.warning("the push stream could not read the cluster's state: " + ar.cause());
        return;
      }
      apply(ar.result());
    });
  }

  /** Nodes always (their CPU history must cover ten minutes); the rest only while a page watches. */
  private Read read(boolean watched) {
    List<JsonObject> nodes = gateway.nodes();
    if (!watched) {
      return new Read(new ClusterState(System.currentTimeMillis(), nodes, List.of(), List.of(), new JsonObject(), List.of()), null, null);
    }
    return new Read(new ClusterState(System.currentTimeMillis(), nodes, gateway.jobs(), gateway.migrations(), gateway.balance(),
        admissions.pendingNodes()), gateway.events(eventSeq, RECENT), gateway.audit(auditSeq, RECENT));
  }

  private void apply(Read r) {
    long now = r.state().at;
    JsonObject cpuNow = new JsonObject();
    for (JsonObject n : r.state().nodes.values()) {
      if ("down".equals(n.getString("state"))) continue;
      JsonArray point = new JsonArray().add(now).add(n.getDouble("cpuUsed", 0.0));
      Deque<JsonArray> h = cpu.computeIfAbsent(n.getString("name"), k -> new ArrayDeque<>());
      h.addLast(point);
      while (h.size() > CPU_POINTS) h.removeFirst();
      cpuNow.put(n.getString("name"), point);
    }
    cpu.keySet().retainAll(r.state().nodes.keySet());
    if (r.events() == null) {
      // nobody watches: nothing to send, and nothing held (a page that comes gets a snapshot)
      state = null;
      snapshot = null;
      held.clear();
      if (!waiting.isEmpty()) tick();  // a page came while this tick read for nobody
      return;
    }
    JsonArray newEvents = remember(r.events(), events);
    JsonArray newAudit = remember(r.audit(), audit);
    if (!r.events().isEmpty()) eventSeq = r.events().get(r.events().size() - 1).getLong("seq");
    if (!r.audit().isEmpty()) auditSeq = r.audit().get(r.audit().size() - 1).getLong("seq");
    ClusterState before = state;
    state = r.state();
    seq++;
    snapshot = null;
    if (before != null) {
      JsonObject delta = state.delta(before);
      if (delta == null) delta = new JsonObject().put("at", now);
      if (!newEvents.isEmpty()) delta.put("events", newEvents);
      if (!newAudit.isEmpty()) delta.put("audit", newAudit);
      if (!cpuNow.isEmpty()) delta.put("cpu", cpuNow);
      String text = "event: delta\nid: " + epoch + "-" + seq + "\ndata: " + delta.encode() + "\n\n";
      held.addLast(new Held(seq, text));
      while (held.size() > HELD_DELTAS) held.removeFirst();
      send(text);
    } else {
      held.clear();
    }
    if (!waiting.isEmpty()) {
      String s = snapshotText();
      for (Page p : waiting) {
        if (p.response.closed()) continue;
        p.response.write(s);
        pages.add(p);
      }
      waiting.clear();
    }
    if (now - lastWriteAt >= KEEPALIVE_MS) send(": keepalive\n\n");
    dropEnded(now);
  }

  private static JsonArray remember(List<JsonObject> fresh, Deque<JsonObject> recent) {
    JsonArray added = new JsonArray();
    for (JsonObject e : fresh) {
      recent.addLast(e);
      added.add(e);
    }
    while (recent.size() > RECENT) recent.removeFirst();
    return added;
  }

  /** The snapshot of the state now held, encoded once for every page that needs it in this tick. */
  private String snapshotText() {
    if (snapshot == null) {
      JsonObject history = new JsonObject();
      cpu.forEach((node, points) -> history.put(node, new JsonArray(new ArrayList<>(points))));
      JsonObject body = state.toJson().put("events", new JsonArray(new ArrayList<>(events)))
          .put("audit", new JsonArray(new ArrayList<>(audit))).put("cpuHistory", history);
      snapshot = "event: snapshot\nid: " + epoch + "-" + seq + "\ndata: " + body.encode() + "\n\n";
    }
    return snapshot;
  }

  /** Writes to every page; one whose queue is still full from before does not read: it is dropped. */
  private void send(String text) {
    lastWriteAt = System.currentTimeMillis();
    for (Page p : List.copyOf(pages)) {
      if (p.response.writeQueueFull()) {
        LOG.info("dropped a page's push stream: it does not read what it is sent");
        drop(p);
        p.response.reset();
        continue;
      }
      p.response.write(text);
    }
  }

  /** Ends the streams whose session has ended (a logout, an expiry). */
  private void dropEnded(long now) {
    for (Page p : List.copyOf(pages)) {
      if (sessions.live(p.session, now)) continue;
      drop(p);
      p.response.end();
    }
  }

  private void drop(Page p) {
    pages.remove(p);
    waiting.remove(p);
  }
}
