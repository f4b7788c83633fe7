package tern.gateway;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * A job's life as the cluster's record tells it, and the only transitions it allows. Every change of
 * a job's state goes through {@link JobBook#transition}, which checks them under the job's lock: two
 * parties that race (a kill and the node's report that the job ended; a kill and the commit of a
 * migration) cannot both win, so a job ends exactly once and never moves after it was killed.
 */
enum JobState {
  /** Given a node and a VIP; its node has not yet said it started it. */
  STARTING,
  RUNNING,
  /** A migration is under way; the migration's coordinator alone moves it on from here. */
  MIGRATING,
  /** A migration failed with its donor unreachable: the donor restores it when its migrator returns. */
  RECOVERING,
  /** Asked to end; whoever holds the job (its node, a start, a migration) ends it. */
  KILLING,
  EXITED,
  KILLED,
  /** Its start failed (its process, if it began, is gone). */
  FAILED;

  boolean ended() { return this == EXITED || this == KILLED || this == FAILED; }

  boolean canBecome(JobState next) {
    return switch (this) {
      case STARTING -> next == RUNNING || next == KILLING || next == EXITED || next == FAILED;
      case RUNNING -> next == MIGRATING || next == KILLING || next == EXITED;
      case MIGRATING -> next == RUNNING || next == RECOVERING || next == KILLING || next == EXITED;
      case RECOVERING -> next == RUNNING || next == KILLING || next == EXITED;
      // the kill wins over the job's own exit; a start that failed after its process began ends as failed
      case KILLING -> next == KILLED || next == FAILED;
      case EXITED, KILLED, FAILED -> false;
    };
  }

  String text() { return name().toLowerCase(Locale.ROOT); }

  static JobState of(JsonObject job) {
    String s = job.getString("state");
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalStateException("job " + job.getString("id") + " has an unknown state '" + s + "'");
    }
  }
}
