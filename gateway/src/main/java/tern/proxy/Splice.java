package tern.proxy;

import io.vertx.core.net.NetSocket;

/**
 * One forwarded connection: the outside client and the job's side, bytes copied both ways with
 * back-pressure (a full write queue pauses the other side's reads), and held on demand: while a
 * migration freezes the job, neither side is read, so nothing is written into a frozen connection.
 */
final class Splice {
  private final NetSocket client;
  private final NetSocket job;
  private volatile boolean held;
  /** When a byte last went through, either way (System.nanoTime); a hold does not count as idle. */
  private volatile long lastActivity = System.nanoTime();
  private boolean clientBlocked;
  private boolean jobBlocked;
  private boolean closed;
  private Runnable onClose = () -> { };

  Splice(NetSocket client, NetSocket job) {
    this.client = client;
    this.job = job;
  }

  void start(Runnable onClose) {
    this.onClose = onClose;
    pump(client, job, true);
    pump(job, client, false);
    client.closeHandler(v -> close());
    job.closeHandler(v -> close());
    client.exceptionHandler(e -> close());
    job.exceptionHandler(e -> close());
  }

  private void pump(NetSocket from, NetSocket to, boolean fromClient) {
    from.handler(buf -> {
      lastActivity = System.nanoTime();
      to.write(buf);
      if (to.writeQueueFull()) {
        setBlocked(fromClient, true);
        from.pause();
        to.drainHandler(v -> {
          setBlocked(fromClient, false);
          if (!held) from.resume();
        });
      }
    });
    // a half-close is passed on: the client's EOF reaches the job and the job's reaches the client
    from.endHandler(v -> to.end());
  }

  private void setBlocked(boolean fromClient, boolean blocked) {
    if (fromClient) clientBlocked = blocked;
    else jobBlocked = blocked;
  }

  /** Called on the splice's event loop. */
  void hold() {
    held = true;
    client.pause();
    job.pause();
  }

  /** Called on the splice's event loop. */
  void release() {
    held = false;
    lastActivity = System.nanoTime();
    if (!clientBlocked) client.resume();
    if (!jobBlocked) job.resume();
  }

  /** Nothing went through for longer than the limit, and not because a migration holds the connection. */
  boolean idleLongerThan(long nanos) {
    return !held && System.nanoTime() - lastActivity > nanos;
  }

  void close() {
    if (closed) return;
    closed = true;
    client.close();
    job.close();
    onClose.run();
  }
}
