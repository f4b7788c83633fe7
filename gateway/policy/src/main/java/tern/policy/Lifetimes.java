package tern.policy;

/** What the policy expects of a job's run time: learned ({@link LifetimeModel}), or known (a simulator's oracle). */
public interface Lifetimes {
  /** Expected (median) remaining run time, in seconds, of a job of this program that has run {@code age} seconds. */
  double remainingSeconds(String program, double age);

  /**
   * How long, in seconds, a job of this program that has run {@code age} seconds goes on running with
   * the given probability (one half: the median). Run times that are known have no spread.
   */
  default double remainingSeconds(String program, double age, double probability) { return remainingSeconds(program, age); }

  /** Expected run time of a new job of this program; 0 when nothing is known of it. */
  default double expectedLifetime(String program) { return remainingSeconds(program, 0); }
}
