package tern.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import tern.request.RequestError;
import tern.util.Util;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** The gateway's exposed ports: which public port leads to which job's VIP:PORT, and holding them during a freeze. */
public final class Exposures implements ConnectionHold {
  private static final Logger LOG = Logger.getLogger("tern.proxy");
  /** The status of "that public port is taken": the one listen failure after which the next port may do. */
  private static final int PORT_TAKEN = 409;
  private final Vertx vertx;
  private final String outsideIp;
  private final ProxyLimits limits;
  private final NetClient upstream;
  private final Map<Integer, ExposedPort> byPublic = new ConcurrentHashMap<>();

  public Exposures(Vertx vertx, String outsideIp, ProxyLimits limits) {
    this.vertx = vertx;
    this.outsideIp = outsideIp;
    this.limits = limits;
    this.upstream = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
  }

  /** Opens PUBLIC (0: any free port of the range) for jobId's VIP:port; returns the public port. */
  public int expose(String jobId, String vip, int port, int publicPort) {
    check(port, publicPort);
    for (ExposedPort e : byPublic.values()) {
      if (e.jobId.equals(jobId) && e.port == port) throw new RequestError(409, jobId + " port " + port + " is already exposed on " + e.publicPort);
    }
    if (publicPort != 0) return open(jobId, vip, port, publicPort);
    for (int p = limits.firstPort(); p <= limits.lastPort(); p++) {
      if (byPublic.containsKey(p)) continue;
      try {
        return open(jobId, vip, port, p);
      } catch (RequestError e) {
        if (e.status() != PORT_TAKEN) throw e;
        // taken by something else on the gateway: try the next
      }
    }
    throw new RequestError(409, "no free public port in " + limits.firstPort() + "-" + limits.lastPort());
  }

  /** What expose would refuse whichever job asked: a port that is no TCP port, a public port outside the range or taken. */
  public void check(int port, int publicPort) {
    if (port < 1 || port > 65535) throw new RequestError(400, "port " + port + " is not a TCP port");
    if (publicPort == 0) return;
    if (publicPort < limits.firstPort() || publicPort > limits.lastPort()) {
      throw new RequestError(400, "public port " + publicPort + " is outside the allowed range " + limits.firstPort() + "-" + limits.lastPort());
    }
    if (byPublic.containsKey(publicPort)) throw new RequestError(409, "public port " + publicPort + " is already in use");
  }

  private int open(String jobId, String vip, int port, int publicPort) {
    ExposedPort e = new ExposedPort(vertx, upstream, jobId, vip, port, publicPort, limits);
    if (byPublic.putIfAbsent(publicPort, e) != null) throw new RequestError(PORT_TAKEN, "public port " + publicPort + " is already in use");
    try {
      e.listen(outsideIp).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ex) {
      byPublic.remove(publicPort, e);
      if (ListenFailure.portTaken(ex)) {
        throw new RequestError(PORT_TAKEN, "public port " + publicPort + " is already in use (" + Util.rootMessage(ex) + ")");
      }
      // the gateway's own fault (its outside address gone, no permission): no other port would do better
      LOG.warning("cannot listen on " + outsideIp + ":" + publicPort + " for " + jobId + ": " + Util.rootMessage(ex));
      throw new RequestError(500, "cannot listen on " + outsideIp + ":" + publicPort + ": " + Util.rootMessage(ex));
    }
    LOG.info("exposed " + jobId + " port " + port + " (" + vip + ") on " + outsideIp + ":" + publicPort);
    return publicPort;
  }

  /** Whether jobId's PORT has its public port open here. */
  public boolean isOpen(String jobId, int port) {
    return byPublic.values().stream().anyMatch(e -> e.jobId.equals(jobId) && e.port == port);
  }

  public void unexpose(String jobId, int port) {
    ExposedPort e = byPublic.values().stream().filter(x -> x.jobId.equals(jobId) && x.port == port).findFirst()
        .orElseThrow(() -> new RequestError(404, jobId + " has no exposed port " + port));
    byPublic.remove(e.publicPort, e);
    e.close();
    LOG.info("unexposed " + jobId + " port " + port + " (was " + e.publicPort + ")");
  }

  /** The job ended: its ports close and its clients see an orderly close. */
  public void jobEnded(String jobId) {
    for (ExposedPort e : List.copyOf(byPublic.values())) {
      if (e.jobId.equals(jobId)) {
        byPublic.remove(e.publicPort, e);
        e.close();
      }
    }
  }

  /** Stop reading from both sides of the job's connections: the job is about to freeze. */
  @Override public void hold(String jobId) {
    byPublic.values().stream().filter(e -> e.jobId.equals(jobId)).forEach(ExposedPort::hold);
  }

  /** The job runs again (where it is now): carry on. */
  @Override public void release(String jobId) {
    byPublic.values().stream().filter(e -> e.jobId.equals(jobId)).forEach(ExposedPort::release);
  }
}
