package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;

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
  List<JsonObject> since(long after, int limit) { return RingReader.since(ring, after, limit); }
}
