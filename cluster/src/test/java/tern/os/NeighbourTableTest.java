package tern.os;

import org.junit.jupiter.api.Test;
import tern.admission.MacAddress;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NeighbourTableTest {
  private static final String TABLE = """
      IP address       HW type     Flags       HW address            Mask     Device
      10.78.0.11       0x1         0x2         52:54:00:12:34:ab     *        lan0
      10.78.0.12       0x1         0x0         00:00:00:00:00:00     *        lan0
      10.77.0.1        0x1         0x2         52:54:00:99:99:99     *        out0
      """;

  @Test
  void aResolvedEntryOnTheLanGivesItsAddress() {
    assertEquals(Optional.of(MacAddress.parse("52:54:00:12:34:ab")), NeighbourTable.macOf(TABLE, "10.78.0.11", "lan0"));
  }

  @Test
  void anIncompleteEntryGivesNone() {
    assertEquals(Optional.empty(), NeighbourTable.macOf(TABLE, "10.78.0.12", "lan0"));
  }

  @Test
  void aNeighbourOnAnotherLinkIsNotTheLans() {
    assertEquals(Optional.empty(), NeighbourTable.macOf(TABLE, "10.77.0.1", "lan0"));
  }
}
