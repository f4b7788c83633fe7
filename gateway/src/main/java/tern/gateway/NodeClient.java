package tern.gateway;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.cluster.Pace;
import tern.protocol.Command;
import tern.protocol.Protocol;
import tern.protocol.Reply;
import tern.request.RequestError;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signed commands from the gateway to a node's migrator, waited for. A command to a node that leaves
 * the cluster fails as soon as Hazelcast notices, not when its timeout runs out.
 */
final class NodeClient {
  private final Vertx vertx;
  private final ClusterSecret secret;
  private final Map<String, Set<CompletableFuture<JsonObject>>> pending = new ConcurrentHashMap<>();

  NodeClient(Vertx vertx, HazelcastInstance hz, ClusterSecret secret) {
    this.vertx = vertx;
    this.secret = secret;
    hz.getCluster().addMembershipListener(new MembershipListener() {
      // A node's migrator that comes back is a new member: whatever its old self was doing is lost.
      @Override public void memberAdded(MembershipEvent e) {
        failPending(e.getMember().getAttribute(ClusterMember.ATTR_NODE), "restarted (its migrator died)");
      }

      @Override public void memberRemoved(MembershipEvent e) {
        failPending(e.getMember().getAttribute(ClusterMember.ATTR_NODE), "left the cluster (its migrator died or its link is down)");
      }
    });
  }

  private void failPending(String node, String why) {
    if (node == null) return;
    for (CompletableFuture<JsonObject> f : pending.getOrDefault(node, Set.of())) {
      f.completeExceptionally(new NodeFailure(node, "node " + node + " " + why));
    }
  }

  /**
   * Sends the command to node and waits for its reply, for timeoutMs on machines of {@link Pace} 1; a
   * refusal or failure becomes an {@link NodeFailure} or {@link RequestError}.
   */
  <R extends Reply> R call(String node, Command<R> command, long timeoutAtPaceOne) {
    long timeoutMs = timeoutAtPaceOne * Pace.factor();
    String op = Protocol.nameOf(command);
    JsonObject cmd = secret.sign(Protocol.encode(command));
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    Set<CompletableFuture<JsonObject>> set = pending.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet());
    set.add(f);
    vertx.eventBus().<JsonObject>request(ClusterNames.nodeAddress(node), cmd, new DeliveryOptions().setSendTimeout(timeoutMs))
        .onComplete(ar -> {
          if (ar.succeeded()) f.complete(ar.result().body());
          else f.completeExceptionally(ar.cause());
        });
    try {
      return Protocol.reply(command, f.get(timeoutMs + 1000, TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof NodeFailure nf) throw nf;
      if (c instanceof ReplyException re) {
        int code = re.failureCode();
        if (code >= 400 && code < 500) throw new RequestError(code, re.getMessage());
        if (code == -1 || re.failureType() != io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
          throw new NodeFailure(node, "node " + node + " did not answer " + op + " (" + re.failureType() + ": " + re.getMessage() + ")");
        }
        throw new RequestError(500, re.getMessage());
      }
      throw new NodeFailure(node, op + " on " + node + " failed: " + c);
    } catch (TimeoutException e) {
      throw new NodeFailure(node, "node " + node + " did not answer " + op + " within " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeFailure(node, "interrupted waiting for " + node);
    } finally {
      set.remove(f);
    }
  }

  /** The node could not be reached or died: whether it did the work is unknown. */
  static final class NodeFailure extends RuntimeException {
    final String node;

    NodeFailure(String node, String message) {
      super(message);
      this.node = node;
    }
  }
}
