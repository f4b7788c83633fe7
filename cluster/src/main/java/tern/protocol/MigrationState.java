package tern.protocol;

import java.util.Locale;

/**
 * A migration's outcome as the cluster's history keeps it, and the only transitions it allows: a
 * migration runs, then ends once, one way. The gateway writes it; a recovering donor or acceptor reads
 * it to know whose the job is ({@link #COMMITTED}: the acceptor's; anything else: the donor's).
 */
public enum MigrationState {
  /** Under way: the job is still the donor's. */
  RUNNING,
  /** The commit point passed: the job is the acceptor's, the donor's copy goes. */
  COMMITTED,
  /** Failed after it began: the donor keeps the job (and restores it if it was dumped). */
  ABORTED,
  /** The donor or the acceptor said no before anything was frozen. */
  REFUSED,
  /** The job ended on its own while it was being moved. */
  ABANDONED,
  /** The job was killed while it was being moved, after its dump: the donor's images go, nothing is restored. */
  KILLED;

  public boolean canBecome(MigrationState next) { return this == RUNNING && next != RUNNING; }

  /** Whether the donor drops its images of the job rather than restore the job from them. */
  public boolean donorDiscards() { return this == COMMITTED || this == KILLED; }

  /** The name in the cluster's history and the API. */
  public String text() { return name().toLowerCase(Locale.ROOT); }

  public static MigrationState of(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalStateException("unknown migration state '" + text + "'");
    }
  }
}
