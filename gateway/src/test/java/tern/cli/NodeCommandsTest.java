package tern.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeCommandsTest {
  @Test
  void aPcThatHasNoLoadToSayShowsADashNotZeroOrNull() {
    assertEquals("0.35/2.00", NodeCommands.cpuUse(new JsonObject().put("state", "up").put("cpuUsed", 0.35).put("cpuCapacity", 2.0)));
    // a pending PC is not a member: the gateway lists zeros it has not measured
    assertEquals("-", NodeCommands.cpuUse(new JsonObject().put("state", "pending").put("cpuUsed", 0.0).put("cpuCapacity", 0.0)));
    assertEquals("-/2.00", NodeCommands.cpuUse(new JsonObject().put("state", "down").put("cpuCapacity", 2.0)));
    assertEquals("-", NodeCommands.cpuUse(new JsonObject().put("state", "down")));
  }
}
