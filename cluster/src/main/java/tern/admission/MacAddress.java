package tern.admission;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A PC's Ethernet address, the one thing that tells the PCs of the room apart before they hold any
 * secret: the admin accepts a node by it, and its default name is made from it.
 */
public record MacAddress(String text) {
  private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  public static final String SHAPE_TEXT = "a MAC address (six two-digit hex numbers: 52:54:00:12:34:ab)";

  public MacAddress {
    if (text == null || !SHAPE.matcher(text).matches()) throw new IllegalArgumentException("not " + SHAPE_TEXT + ": '" + text + "'");
  }

  /** Accepts upper case and '-' as a separator too (how some PCs' labels and BIOSes print it). */
  public static MacAddress parse(String text) {
    if (text == null) throw new IllegalArgumentException("no MAC address given");
    return new MacAddress(text.trim().toLowerCase(Locale.ROOT).replace('-', ':'));
  }

  public static MacAddress of(byte[] hardwareAddress) {
    if (hardwareAddress == null || hardwareAddress.length != 6) {
      throw new IllegalArgumentException("not an Ethernet address: " + (hardwareAddress == null ? "none" : hardwareAddress.length + " bytes"));
    }
    return new MacAddress(HexFormat.ofDelimiter(":").formatHex(hardwareAddress));
  }

  /**
   * "n" and the address's last three bytes: a node name must fit in interface and namespace names
   * (tern.protocol.Identifiers.NODE_NAME, at most 8 characters), so not all six. Two PCs whose
   * addresses end alike would clash; the admission book refuses the second, and the admin names it.
   */
  public String defaultNodeName() { return "n" + text.substring(9).replace(":", ""); }

  @Override public String toString() { return text; }
}
