package tern.migration;

import tern.protocol.Command;

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

  void check(Command<?> cmd) {
    if (cmd instanceof Command.MigrationStep<?> step && step.fault() != null && !allowed) {
      throw new Refusal(403, "fault injection is not enabled on this node");
    }
  }

  boolean is(Command.MigrationStep<?> step, String fault) { return allowed && fault.equals(step.fault()); }

  void maybeDie(Command.MigrationStep<?> step, String fault) {
    if (is(step, fault)) {
      LOG.severe("injected fault " + fault + ": the migrator dies now");
      Runtime.getRuntime().halt(137);
    }
  }
}
