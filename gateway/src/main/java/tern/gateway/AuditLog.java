package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;

import java.util.List;
import java.util.logging.Logger;

/**
 * Who did what to the cluster: every state-changing request and every login, failed login and logout,
 * with the address it came from. In the cluster's ring buffer (it outlives a gateway restart) and in the log.
 */
final class AuditLog {
  private static final Logger LOG = Logger.getLogger("tern.audit");
  private final Ringbuffer<String> ring;

  AuditLog(HazelcastInstance hz) { this.ring = hz.getRingbuffer(ClusterNames.AUDIT); }

  /** via: "session", "token" or null (a login attempt, which has neither yet); outcome: "ok" or what went wrong. */
  void record(String action, String target, String from, String via, String outcome) {
    JsonObject e = new JsonObject().put("at", System.currentTimeMillis()).put("action", action).put("from", from).put("outcome", outcome);
    if (target != null) e.put("target", target);
    if (via != null) e.put("via", via);
    // written on a worker: the request's answer does not wait for the cluster
    ring.addAsync(e.encode(), com.hazelcast.ringbuffer.OverflowPolicy.OVERWRITE);
    LOG.info(action + (target == null ? "" : " " + target) + " from " + from + (via == null ? "" : " (" + via + ")") + ": " + outcome);
  }

  /** The entries after sequence number {@code after} (-1: the last {@code limit}), each with its "seq". */
  List<JsonObject> since(long after, int limit) { return RingReader.since(ring, after, limit); }
}
