package tern.migration;

import java.util.ArrayList;
import java.util.List;

/** Reads the destinations out of `ip route show type blackhole`: the VIPs held for restores that never came. */
final class BlackholeRoutes {
  private BlackholeRoutes() { }

  static List<String> destinations(String ipRouteOutput) {
    List<String> found = new ArrayList<>();
    for (String line : ipRouteOutput.split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 2 && words[0].equals("blackhole")) found.add(words[1]);
    }
    return found;
  }
}
