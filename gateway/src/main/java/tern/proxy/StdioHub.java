package tern.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Interactive jobs' stdio. The job's stdin, stdout, stderr and exit status are TCP connections from
 * inside its capsule (from its VIP, so they move with it) to the gateway's LAN side; the user's
 * client holds one framed connection to the outside side. The hub joins them, with back-pressure,
 * held like exposed ports while the job is frozen.
 */
public final class StdioHub implements ConnectionHold {
  private static final Logger LOG = Logger.getLogger("tern.stdio");
  private final Vertx vertx;
  private final Map<String, StdioSession> byJob = new ConcurrentHashMap<>();
  private final BiConsumer<String, Integer> signaller;
  private String jobHost;
  private int jobPort;
  private int clientPort;

  /** signaller(jobId, signal): delivers a signal from the client to the job (through its node). */
  public StdioHub(Vertx vertx, BiConsumer<String, Integer> signaller) {
    this.vertx = vertx;
    this.signaller = signaller;
  }

  public void listen(String lanIp, int jobPort, String outsideIp, int clientPort) {
    NetServer jobs = vertx.createNetServer(new NetServerOptions().setHost(lanIp).setPort(jobPort).setTcpNoDelay(true))
        .connectHandler(this::jobConnection);
    NetServer clients = vertx.createNetServer(new NetServerOptions().setHost(outsideIp).setPort(clientPort).setTcpNoDelay(true))
        .connectHandler(this::clientConnection);
    this.jobHost = lanIp;
    this.jobPort = jobs.listen().toCompletionStage().toCompletableFuture().join().actualPort();
    this.clientPort = clients.listen().toCompletionStage().toCompletableFuture().join().actualPort();
  }

  /** Where a job's stdio connects to: the gateway's LAN address. */
  public String jobHost() { return jobHost; }

  public int jobPort() { return jobPort; }

  public int clientPort() { return clientPort; }

  /** A new interactive job: returns {jobToken, clientToken}. */
  public String[] open(String jobId, String vip) {
    SecureRandom r = new SecureRandom();
    byte[] a = new byte[16], b = new byte[16];
    r.nextBytes(a);
    r.nextBytes(b);
    String jobToken = HexFormat.of().formatHex(a), clientToken = HexFormat.of().formatHex(b);
    byJob.put(jobId, new StdioSession(jobId, vip, jobToken, clientToken, () -> byJob.remove(jobId)));
    return new String[] {jobToken, clientToken};
  }

  @Override public void hold(String jobId) { session(jobId, StdioSession::hold); }

  @Override public void release(String jobId) { session(jobId, StdioSession::release); }

  /** The job ended (its node said so): the client learns its status once its output is through. */
  public void ended(String jobId, Integer status) { session(jobId, s -> s.ended(status == null ? 255 : status)); }

  private void session(String jobId, java.util.function.Consumer<StdioSession> action) {
    StdioSession s = byJob.get(jobId);
    if (s != null) action.accept(s);
  }

  private void jobConnection(NetSocket socket) {
    // first line: "<jobId> <jobToken> stdin|stdout|stderr|status"
    socket.pause();
    firstLine(socket, (line, rest) -> {
      String[] w = line.split(" ");
      StdioSession s = w.length == 3 ? byJob.get(w[0]) : null;
      String from = socket.remoteAddress().hostAddress();
      if (s == null || !s.acceptsJob(w[1], from)) {
        LOG.warning("refused a stdio connection from " + from + ": not that job's own");
        socket.close();
        return;
      }
      s.attachJob(w[2], socket, rest);
    });
  }

  private void clientConnection(NetSocket socket) {
    socket.pause();
    firstLine(socket, (line, rest) -> {
      String[] w = line.split(" ");
      StdioSession s = w.length == 2 ? byJob.get(w[0]) : null;
      if (s == null || !s.acceptsClient(w[1])) {
        LOG.warning("refused a stdio client from " + socket.remoteAddress() + ": wrong job or token");
        socket.write(Buffer.buffer("refused\n")).onComplete(v -> socket.close());
        return;
      }
      s.attachClient(socket, rest, signal -> signaller.accept(s.jobId, signal));
    });
  }

  /** Reads one text line (at most 200 bytes), then hands the socket on with the rest still unread. */
  private static void firstLine(NetSocket socket, BiConsumer<String, Buffer> then) {
    Buffer acc = Buffer.buffer();
    socket.handler(buf -> {
      acc.appendBuffer(buf);
      String text = acc.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      int nl = text.indexOf('\n');
      if (nl < 0) {
        if (acc.length() > 200) socket.close();
        return;
      }
      socket.pause();
      socket.handler(null);
      then.accept(text.substring(0, nl).trim(), acc.getBuffer(nl + 1, acc.length()));
    });
    socket.resume();
  }

}
