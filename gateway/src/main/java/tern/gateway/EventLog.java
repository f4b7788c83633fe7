package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/** What the balancer decided and what came of it: the cluster's ring buffer (for tern events) and the log. */
final class EventLog {
  private static final Logger LOG = Logger.getLogger("tern.balancer");
  private final Ringbuffer<String> ring;

  EventLog(HazelcastInstance hz) { this.ring = hz.getRingbuffer(ClusterNames.EVENTS); }

  void record(String kind, String jobId, String node, String message, JsonObject figures) {
    JsonObject e = new JsonObject().put("at", System.currentTimeMillis()).put("kind", kind).put("message", message);
    if (jobId != null) e.put("jobId", jobId);
    if (node != null) e.put("node", node);
    if (figures != null) e.put("figures", figures);
    ring.add(e.encode());
    LOG.info(kind + ": " + message);
  }

  /** Events after sequence number {@code after} (-1: the last {@code limit}), each with its "seq". */
  List<JsonObject> since(long after, int limit) {
    long head = ring.headSequence(), tail = ring.tailSequence();
    long from = after < 0 ? Math.max(head, tail - limit + 1) : Math.max(head, after + 1);
    List<JsonObject> events = new ArrayList<>();
    if (from > tail || limit <= 0) return events;
    // one read for the lot (a readOne per event would be a round trip each)
    ReadResultSet<String> read = ring.readManyAsync(from, 0, (int) Math.min(limit, tail - from + 1), null)
        .toCompletableFuture().join();
    for (int i = 0; i < read.size(); i++) events.add(new JsonObject(read.get(i)).put("seq", read.getSequence(i)));
    return events;
  }
}
