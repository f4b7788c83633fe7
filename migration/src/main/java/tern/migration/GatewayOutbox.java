package tern.migration;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.protocol.Event;
import tern.protocol.Protocol;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What the node tells the gateway (a job ended, a job resumed, the node is up), delivered at least once
 * and in order: a gateway that is restarting, or not yet holding the cluster's state, gets each event
 * when it is back. The gateway handles every event idempotently, so a repeat is harmless.
 */
final class GatewayOutbox {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private static final long RETRY_MS = 1_000;
  private final Vertx vertx;
  private final ClusterSecret secret;
  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();

  GatewayOutbox(Vertx vertx, ClusterSecret secret) {
    this.vertx = vertx;
    this.secret = secret;
    Thread t = new Thread(this::deliver, "gateway-outbox");
    t.setDaemon(true);
    t.start();
  }

  void publish(Event event) { queue.add(event); }

  private void deliver() {
    try {
      while (true) {
        Event event = queue.take();
        for (int attempt = 0; !send(event, attempt); attempt++) Thread.sleep(RETRY_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True when the gateway took the event, or refused it for good (a retry would be refused again). */
  private boolean send(Event event, int attempt) throws InterruptedException {
    try {
      vertx.eventBus().request(ClusterNames.GATEWAY_EVENTS, secret.sign(Protocol.encode(event)), new DeliveryOptions().setSendTimeout(10_000))
          .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      if (attempt > 0) LOG.info("the gateway took " + Protocol.nameOf(event) + " after " + (attempt + 1) + " attempts");
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 500) {
        LOG.warning("the gateway refused " + Protocol.encode(event).encode() + ": " + re.getMessage());
        return true;
      }
      if (attempt % 30 == 0) LOG.info("the gateway did not take " + Protocol.nameOf(event) + " yet (" + e.getCause().getMessage() + "); retrying");
      return false;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
