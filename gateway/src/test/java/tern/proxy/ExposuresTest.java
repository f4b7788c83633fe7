package tern.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tern.request.RequestError;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public ports opened with real Vert.x on loopback, over epoll (the gateway's transport) and NIO (where
 * the native library does not load): only a taken port is skipped.
 */
class ExposuresTest {
  /** An address of the documentation range (RFC 5737), held by no interface here: binding it fails, and sends nothing. */
  private static final String NOT_OURS = "192.0.2.1";
  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private Exposures exposures(boolean epoll, String outsideIp, int firstPort, int lastPort) {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll));
    assertEquals(epoll, vertx.isNativeTransportEnabled(), "native transport");
    return new Exposures(vertx, outsideIp, new ProxyLimits(60, 8, firstPort, lastPort));
  }

  @ParameterizedTest(name = "epoll {0}")
  @ValueSource(booleans = {true, false})
  void portTakenBySomethingElseIsSkippedForTheNextFreeOne(boolean epoll) throws IOException {
    int first = twoFreePorts();
    try (ServerSocket taken = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(first + 1, exposures(epoll, "127.0.0.1", first, first + 1).expose("j1", "10.79.0.5", 7000, 0));
    }
  }

  @ParameterizedTest(name = "epoll {0}")
  @ValueSource(booleans = {true, false})
  void portTakenBySomethingElseIsRefusedWhenAskedForByNumber(boolean epoll) throws IOException {
    int first = twoFreePorts();
    try (ServerSocket taken = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
      RequestError e = assertThrows(RequestError.class, () -> exposures(epoll, "127.0.0.1", first, first + 1).expose("j1", "10.79.0.5", 7000, first));
      assertEquals(409, e.status(), e.getMessage());
    }
  }

  @ParameterizedTest(name = "epoll {0}")
  @ValueSource(booleans = {true, false})
  void listenFailureOtherThanATakenPortIsReportedWithItsCauseNotWalkedPast(boolean epoll) throws IOException {
    int first = twoFreePorts();
    RequestError e = assertThrows(RequestError.class, () -> exposures(epoll, NOT_OURS, first, first + 1).expose("j1", "10.79.0.5", 7000, 0));
    assertEquals(500, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains("Cannot assign requested address") && e.getMessage().contains(NOT_OURS + ":" + first),
        e.getMessage());
  }

  @ParameterizedTest(name = "epoll {0}")
  @ValueSource(booleans = {true, false})
  void listenFailureOtherThanATakenPortIsNotCalledPortInUse(boolean epoll) throws IOException {
    int first = twoFreePorts();
    RequestError e = assertThrows(RequestError.class, () -> exposures(epoll, NOT_OURS, first, first + 1).expose("j1", "10.79.0.5", 7000, first));
    assertEquals(500, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains("Cannot assign requested address") && !e.getMessage().contains("in use"), e.getMessage());
  }

  /** The first of two neighbouring ports that are free on loopback now. */
  private static int twoFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int p = a.getLocalPort();
        if (p == 65535) continue;
        try (ServerSocket b = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException taken) {
          // try another pair
        }
      }
    }
    throw new IllegalStateException("no two neighbouring free ports on loopback");
  }
}
