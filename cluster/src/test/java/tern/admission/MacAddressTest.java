package tern.admission;

import org.junit.jupiter.api.Test;
import tern.protocol.Identifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressTest {
  @Test
  void upperCaseAndDashesAreTheSameAddress() {
    assertEquals(new MacAddress("52:54:00:12:34:ab"), MacAddress.parse("52-54-00-12-34-AB"));
  }

  @Test
  void somethingElseIsRefusedSayingWhatIsWanted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34"));
    assertTrue(e.getMessage().contains("six two-digit hex numbers"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:ab/../x"));
  }

  @Test
  void theDefaultNameIsAValidNodeNameFromTheAddressesLastThreeBytes() {
    String name = MacAddress.parse("52:54:00:12:34:ab").defaultNodeName();
    assertEquals("n1234ab", name);
    assertTrue(Identifiers.NODE_NAME.matcher(name).matches(), name);
  }

  @Test
  void hardwareBytesReadAsTheAddress() {
    assertEquals("52:54:00:12:34:ab", MacAddress.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, (byte) 0xab}).text());
  }
}
