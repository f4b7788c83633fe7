package tern.proxy;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A port on the gateway's outside address that forwards every accepted connection to a job's
 * VIP:PORT. The VIP's route follows the job, so the mapping follows it through migrations.
 */
final class ExposedPort {
  private static final Logger LOG = Logger.getLogger("tern.proxy");
  final String jobId;
  final String vip;
  final int port;
  final int publicPort;
  private final ProxyLimits limits;
  private final Vertx vertx;
  private final NetClient upstream;
  private volatile String deployment;
  private long idleSweep = -1;
  private final Map<Splice, Context> splices = new ConcurrentHashMap<>();
  private volatile boolean held;

  ExposedPort(Vertx vertx, NetClient upstream, String jobId, String vip, int port, int publicPort, ProxyLimits limits) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.jobId = jobId;
    this.vip = vip;
    this.port = port;
    this.publicPort = publicPort;
    this.limits = limits;
  }

  Future<Integer> listen(String host) {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(publicPort).setTcpNoDelay(true).setReuseAddress(true);
    // One server per event loop on the same port (Vert.x spreads accepted connections over them):
    // a splice lives on the loop that accepted it, so the forwarding uses every core.
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override public Future<?> start() {
        return vertx.createNetServer(options).connectHandler(ExposedPort.this::accept).listen();
      }
    }, new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)).map(id -> {
      deployment = id;
      // the idle timeout is the splices' own, not Netty's: a connection held through a long freeze is not idle
      idleSweep = vertx.setPeriodic(1000, t -> closeIdle());
      return publicPort;
    });
  }

  private void accept(NetSocket client) {
    if (splices.size() >= limits.maxConnections()) {
      LOG.warning(jobId + ":" + port + " refused a connection from " + client.remoteAddress() + ": " + limits.maxConnections() + " already open");
      client.close();
      return;
    }
    client.pause();
    Context context = Vertx.currentContext();
    upstream.connect(port, vip).onComplete(ar -> {
      if (ar.failed()) {
        LOG.info(jobId + ":" + port + " unreachable for " + client.remoteAddress() + ": " + ar.cause().getMessage());
        client.close();
        return;
      }
      Splice splice = new Splice(client, ar.result());
      splices.put(splice, context);
      splice.start(() -> splices.remove(splice));
      if (held) splice.hold();
      else client.resume();
    });
  }

  private void closeIdle() {
    long limit = limits.idleSeconds() * 1_000_000_000L;
    splices.forEach((s, ctx) -> {
      if (s.idleLongerThan(limit)) ctx.runOnContext(v -> s.close());
    });
  }

  void hold() {
    held = true;
    splices.forEach((s, ctx) -> ctx.runOnContext(v -> s.hold()));
  }

  void release() {
    held = false;
    splices.forEach((s, ctx) -> ctx.runOnContext(v -> s.release()));
  }

  Future<Void> close() {
    if (idleSweep >= 0) vertx.cancelTimer(idleSweep);
    splices.forEach((s, ctx) -> ctx.runOnContext(v -> s.close()));
    // undeploying closes the servers
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }
}
