package tern.capsule;

import tern.os.Command;
import tern.os.CommandFailedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A job's capsule on this node: its own network namespace holding only the job's VIP, joined to the
 * node by a veth pair, plus its cgroups. The node routes the VIP into the capsule; the gateway
 * routes the VIP to the node. Runs in the node's network namespace.
 */
public final class Capsule {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final CapsuleNames names;

  public Capsule(CapsuleNames names) { this.names = names; }

  public CapsuleNames names() { return names; }

  public boolean exists() { return Files.exists(Path.of("/run/netns", names.netns())); }

  /**
   * Builds the capsule; on any failure removes what it made, so nothing is left behind. An acceptor's
   * capsule is built unrouted: until the job is restored into it, the node drops the VIP's packets
   * (an empty capsule holding the VIP would answer a peer's retransmission with a reset).
   */
  public void create(boolean routed) {
    String ns = names.netns(), link = names.nodeLink(), vip = names.vip();
    try {
      // two ip processes, not ten: a short job's start is mostly process starts
      Command.of("ip", "-batch", "-").input(String.join("\n",
          "netns add " + ns,
          "link add " + link + " type veth peer name eth0 netns " + ns,
          "addr add " + CapsuleNames.NODE_SIDE_IP + "/32 dev " + link,
          "link set " + link + " up",
          routed ? routeLine() : "route replace blackhole " + vip + "/32", "")).run();
      Command.of("ip", "-n", ns, "-batch", "-").input(String.join("\n",
          "addr add " + vip + "/32 dev eth0",
          "link set lo up",
          "link set eth0 up",
          "route add " + CapsuleNames.NODE_SIDE_IP + " dev eth0",
          // rto_min: a segment lost to a migration's network lock is resent at once after the restore
          "route add default via " + CapsuleNames.NODE_SIDE_IP + " rto_min 10ms", "")).run();
      Cgroups.create(names.cgroup());
    } catch (RuntimeException e) {
      destroy();
      throw new CommandFailedException("cannot build the capsule for " + names.jobId() + " on " + names.node() + ": " + e.getMessage());
    }
  }

  /** Routes the VIP into the capsule. */
  public void route() {
    Command.of(("ip " + routeLine()).split(" ")).run();
  }

  private String routeLine() { return "route replace " + names.vip() + "/32 dev " + names.nodeLink(); }

  /**
   * Cuts the capsule off its node (the veth goes) while its processes may still hold live TCP
   * connections: a restored copy that must not run ends without a word to its peers. Killed with its
   * link up, its sockets would send the peers a reset, and the copy that does run would lose them.
   */
  public void unplug() {
    Command.of("ip", "link", "del", names.nodeLink()).runAllowingFailure(30);
  }

  /** Removes the capsule; safe to call on a half-built or already removed capsule. */
  public void destroy() {
    // The node's route to the VIP and the node end of the veth go with the namespace.
    Command.of("ip", "netns", "del", names.netns()).runAllowingFailure(30);
    Command.of("ip", "link", "del", names.nodeLink()).runAllowingFailure(30);
    Command.of("ip", "route", "del", "blackhole", names.vip() + "/32").runAllowingFailure(30);
    try {
      Cgroups.remove(names.cgroup());
    } catch (IllegalStateException e) {
      // reported, not thrown: the job has ended or moved all the same, and a migration that otherwise
      // committed must not fail for a cgroup left behind
      LOG.warning("capsule of " + names.jobId() + " on " + names.node() + " left a cgroup behind: " + e.getMessage());
    }
  }
}
