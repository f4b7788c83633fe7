package tern.os;

import tern.admission.MacAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's IPv4 neighbour table of this process's network namespace ({@code /proc/net/arp}): which
 * Ethernet address an IP address on a link answered from. What the gateway checks a node's claimed MAC
 * address against.
 */
public final class NeighbourTable {
  private static final Path ARP = Path.of("/proc/net/arp");
  /** ATF_COM: the entry is resolved (an incomplete one has no address yet). */
  private static final int COMPLETE = 0x2;

  private NeighbourTable() { }

  /** The MAC address the kernel holds for ip on device, if it holds a resolved one. */
  public static Optional<MacAddress> macOf(String ip, String device) {
    try {
      return macOf(Files.readString(ARP), ip, device);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the neighbour table " + ARP + ": " + e.getMessage(), e);
    }
  }

  /** The same, from the table's text: "IP address  HW type  Flags  HW address  Mask  Device" lines under a header. */
  static Optional<MacAddress> macOf(String table, String ip, String device) {
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6 || !f[0].equals(ip) || !f[5].equals(device)) continue;
      int flags;
      try {
        flags = Integer.decode(f[2]);
      } catch (NumberFormatException e) {
        continue;
      }
      if ((flags & COMPLETE) == 0) continue;
      return Optional.of(MacAddress.parse(f[3]));
    }
    return Optional.empty();
  }
}
