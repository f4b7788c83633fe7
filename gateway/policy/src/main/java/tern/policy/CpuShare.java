package tern.policy;

/** Fair sharing of a node's CPU: when the jobs want more than it has, each gets its demand scaled down alike. */
final class CpuShare {
  private CpuShare() { }

  /** Cores a job wanting {@code demand} gets on a node of {@code capacity} whose jobs (it included) want {@code total}. */
  static double of(double demand, double capacity, double total) {
    if (demand <= 0) return 0;
    return total <= capacity ? demand : demand * capacity / total;
  }
}
