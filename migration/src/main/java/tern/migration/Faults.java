package tern.migration;

import io.vertx.core.json.JsonObject;

import java.util.logging.Logger;

/**
 * Failure injection for the lab's tests. Only a migrator started with --allow-fault-injection honours
 * it; a real node refuses any command that asks for one.
 */
final class Faults {
  static final String DONOR_DIES_AFTER_DUMP = "donor-dies-after-dump";
  static final String LINK_DROPS = "link-drops";
  static final String ACCEPTOR_DIES = "acceptor-dies";
  static final String ACCEPTOR_DIES_AFTER_RESTORE = "acceptor-dies-after-restore";
  static final String RESTORE_FAILS = "restore-fails";

  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final boolean allowed;

  Faults(boolean allowed) { this.allowed = allowed; }

  void check(JsonObject cmd) {
    if (cmd.getString("fault") != null && !allowed) {
      throw new Refusal(403, "fault injection is not enabled on this node");
    }
  }

  boolean is(JsonObject cmd, String fault) { return allowed && fault.equals(cmd.getString("fault")); }

  void maybeDie(JsonObject cmd, String fault) {
    if (is(cmd, fault)) {
      LOG.severe("injected fault " + fault + ": the migrator dies now");
      Runtime.getRuntime().halt(137);
    }
  }
}
