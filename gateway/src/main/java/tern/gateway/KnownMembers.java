package tern.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The LAN addresses of the nodes this gateway has seen in the cluster, kept in its state directory:
 * a restarted gateway joins the running cluster through them (the cluster's state lives on in the
 * nodes' memory) instead of forming a cluster of its own with an empty state.
 */
final class KnownMembers {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  private final Path file;
  private final Set<String> addresses = new TreeSet<>();

  KnownMembers(Path file) {
    this.file = file;
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) addresses.add(line.trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the known cluster members from " + file + ": " + e.getMessage(), e);
    }
  }

  synchronized List<String> addresses() { return List.copyOf(addresses); }

  /** Remembers a node's address (nodes that leave may come back, so none is forgotten). */
  synchronized void add(String address) {
    if (address == null || !addresses.add(address)) return;
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, addresses);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warning("cannot remember cluster member " + address + " in " + file + ": " + e.getMessage());
    }
  }
}
