package tern.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An exposed port on loopback in front of a real echo server: idle clients go, held ones stay. */
class ExposedPortTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  ExposedPort echoBehindAnExposedPort(int idleSeconds) throws Exception {
    NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
    int echoPort = echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    int publicPort;
    try (ServerSocket free = new ServerSocket(0)) {
      publicPort = free.getLocalPort();
    }
    ExposedPort port = new ExposedPort(vertx, vertx.createNetClient(new NetClientOptions()), "j1", "127.0.0.1", echoPort, publicPort,
        new ProxyLimits(idleSeconds, 8, publicPort, publicPort));
    port.listen("127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return port;
  }

  static void echoes(Socket s, int b) throws Exception {
    s.getOutputStream().write(b);
    assertEquals(b, s.getInputStream().read());
  }

  @Test
  void aSilentClientIsClosedAfterTheIdleTimeoutButAHeldOneIsNot() throws Exception {
    ExposedPort port = echoBehindAnExposedPort(1);
    try (Socket silent = new Socket("127.0.0.1", port.publicPort); Socket held = new Socket("127.0.0.1", port.publicPort)) {
      echoes(silent, 1);
      echoes(held, 2);
      // a migration freezes the job for three times the idle timeout
      port.hold();
      long t0 = System.nanoTime();
      held.setSoTimeout(3_500);
      OutputStream toJob = held.getOutputStream();
      toJob.write(3);  // sent during the hold: it waits, it is not lost
      InputStream fromJob = held.getInputStream();
      assertThrows(SocketTimeoutException.class, fromJob::read, "nothing may come through while held");
      port.release();
      held.setSoTimeout(5_000);
      assertEquals(3, fromJob.read(), "the held connection carries on after the release");
      assertTrue(System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(3));
      echoes(held, 4);
      silent.setSoTimeout(5_000);
      // the silent one was held too (a hold covers the job's every connection), and has been
      // silent since the release: it is closed about a second later
      Thread.sleep(2_500);
      assertEquals(-1, silent.getInputStream().read(), "an idle client is closed");
    } finally {
      port.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
