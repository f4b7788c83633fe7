package tern.policy;

/** What the policy expects of a job's run time: learned ({@link LifetimeModel}), or known (a simulator's oracle). */
public interface Lifetimes {
  /** Expected remaining run time, in seconds, of a job of this program that has run {@code age} seconds. */
  double remainingSeconds(String program, double age);

  /** Expected run time of a new job of this program; 0 when nothing is known of it. */
  default double expectedLifetime(String program) { return remainingSeconds(program, 0); }
}
