package tern.cli;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client waits as many times longer as the gateway's pace says, and says so when it gave up. */
class GatewayConnectionTest {
  private static final Path CONFIG = Path.of("/tmp/client.json");
  private HttpServer slowGateway;

  @BeforeEach
  void answerAfterASecondAndAHalf() throws Exception {
    slowGateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slowGateway.createContext("/", exchange -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{\"id\":\"j1\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    slowGateway.start();
  }

  @AfterEach
  void stop() {
    slowGateway.stop(0);
  }

  private GatewayConnection at(int pace) {
    return new GatewayConnection("http://127.0.0.1:" + slowGateway.getAddress().getPort(), "t", pace);
  }

  @Test
  void aGatewayAtPaceTwoGetsTwiceTheTimeToAnswer() {
    assertEquals("{\"id\":\"j1\"}", at(2).call("POST", "/v1/jobs", new JsonObject(), Duration.ofSeconds(1)));
  }

  @Test
  void aRequestThatTimesOutSaysHowLongItWaitedAndThatTheGatewayMayStillCarryItOut() {
    CliError e = assertThrows(CliError.class, () -> at(1).call("POST", "/v1/jobs", new JsonObject(), Duration.ofSeconds(1)));
    assertEquals(3, e.exitCode);
    assertTrue(e.getMessage().endsWith("did not answer POST /v1/jobs within 1 s; it may still carry it out (see tern ps)"), e.getMessage());
  }

  @Test
  void thePaceIsOneUnlessTheConfigurationSaysAWholeNumberFromOneToAHundred() {
    assertEquals(1, GatewayConnection.pace(new JsonObject(), CONFIG));
    assertEquals(10, GatewayConnection.pace(new JsonObject().put("pace", 10), CONFIG));
    for (Object bad : new Object[] {0, 101, 2.5, "10", true}) {
      CliError e = assertThrows(CliError.class, () -> GatewayConnection.pace(new JsonObject().put("pace", bad), CONFIG));
      assertEquals("/tmp/client.json: \"pace\" must be a whole number from 1 to 100 (how many times slower the gateway's machines run), not "
          + bad, e.getMessage());
    }
  }
}
