package tern.gateway;

import tern.os.Command;

/**
 * The gateway's kernel state: the route of each VIP to the node hosting its job, and source NAT for
 * what jobs send to the outside (an outside peer sees the gateway's address, whichever node the job is on).
 */
final class KernelRoutes {
  private static final String TABLE = "tern";

  /**
   * Routes the VIP to its node. rto_min is small so that a segment lost to a migration's network
   * lock is resent at once after the restore instead of after TCP's 200 ms minimum and back-off.
   */
  void point(String vip, String nodeLanIp) {
    Command.of("ip", "route", "replace", vip + "/32", "via", nodeLanIp, "rto_min", RTO_MIN).run();
  }

  static final String RTO_MIN = "10ms";

  void remove(String vip) {
    Command.of("ip", "route", "del", vip + "/32").runAllowingFailure(10);
  }

  /**
   * Replaces the NAT rule in one nft transaction, so that a restarting gateway never leaves a moment
   * in which a job's new outside connection leaves unmasqueraded (its peer would answer a VIP it
   * cannot reach, and the job's retries would meet a reset).
   */
  void masquerade(String vipPool, String outsideIf) {
    String ruleset = String.join("\n",
        "add table ip " + TABLE,
        "flush table ip " + TABLE,
        "add chain ip " + TABLE + " postrouting { type nat hook postrouting priority 100 ; }",
        "add rule ip " + TABLE + " postrouting ip saddr " + vipPool + " oifname \"" + outsideIf + "\" masquerade",
        "");
    Command.of("nft", "-f", "-").input(ruleset).run(30);
  }
}
