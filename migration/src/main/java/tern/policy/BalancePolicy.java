package tern.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where new jobs go and which running jobs move where: the balancer's rules, without I/O, so that
 * the gateway and the simulator run the same code.
 *
 * A running job moves when the time it is expected to save beats the freeze its move costs. On its
 * node it gets s of the CPU it wants, on the best other node t; over its expected remaining time R it
 * saves R (1 - s/t), and the move costs F (learned from past migrations). Never moved: a job holding
 * a local device, one doing more local file I/O than the limit, one younger than F, and one whose last
 * move has not paid back yet (no ping-pong). A draining node's movable jobs all leave, gain or not.
 */
public final class BalancePolicy {
  private final PolicyConfig config;
  private final MigrationCostModel costs;
  private final Lifetimes lifetimes;

  public BalancePolicy(PolicyConfig config, MigrationCostModel costs, Lifetimes lifetimes) {
    this.config = config;
    this.costs = costs;
    this.lifetimes = lifetimes;
  }

  /**
   * The node where a new job of this program is expected to finish soonest: the most CPU for it, jobs
   * placed but not yet sampled counted as wanting a core each; ties go to the node with fewer jobs.
   */
  public Optional<String> place(List<NodeSample> nodes, List<JobSample> jobs, String executable) {
    Map<String, Double> demand = demandByNode(nodes, jobs);
    Map<String, Integer> count = countByNode(nodes, jobs);
    double work = Math.max(lifetimes.expectedLifetime(executable), 1.0) * config.newJobDemand();
    return nodes.stream().filter(n -> !n.draining())
        .min(Comparator.<NodeSample>comparingDouble(n -> work / shareIfAdded(n, demand, config.newJobDemand()))
            .thenComparingInt(n -> count.get(n.name())).thenComparing(NodeSample::name))
        .map(NodeSample::name);
  }

  /** This round's verdict on every running job; the moves among them do not undo one another. */
  public List<Decision> decide(List<NodeSample> nodes, List<JobSample> jobs) {
    Map<String, NodeSample> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    Map<String, Double> demand = demandByNode(nodes, jobs);
    Map<String, Integer> count = countByNode(nodes, jobs);
    List<Decision> decisions = new ArrayList<>();
    // the most crowded nodes first, and on them the jobs expected to run longest
    List<JobSample> order = new ArrayList<>(jobs);
    order.sort(Comparator.<JobSample>comparingDouble(j -> -crowding(byName.get(j.node()), demand))
        .thenComparingDouble(j -> -lifetimes.remainingSeconds(j.executable(), j.ageSeconds()))
        .thenComparing(JobSample::id));
    for (JobSample job : order) {
      NodeSample source = byName.get(job.node());
      if (source == null) continue;  // its node left the cluster: recovery's business, not the balancer's
      Decision d = source.draining() ? drain(job, source, nodes, demand, count) : balance(job, source, nodes, demand, count);
      if (d.moves()) {
        demand.merge(d.from(), -job.cpuDemand(), Double::sum);
        demand.merge(d.to(), job.cpuDemand(), Double::sum);
        count.merge(d.from(), -1, Integer::sum);
        count.merge(d.to(), 1, Integer::sum);
      }
      decisions.add(d);
    }
    return decisions;
  }

  private Decision drain(JobSample job, NodeSample source, List<NodeSample> nodes, Map<String, Double> demand, Map<String, Integer> count) {
    double remaining = lifetimes.remainingSeconds(job.executable(), job.ageSeconds());
    if (job.localDevice() != null) {
      return new Decision(job.id(), source.name(), null, Decision.Verdict.PINNED, "holds local device " + job.localDevice(), 0, 0, remaining, 0);
    }
    Optional<NodeSample> target = bestTarget(job, source, nodes, demand, count);
    if (target.isEmpty()) {
      return new Decision(job.id(), source.name(), null, Decision.Verdict.STAY, "node is draining but no other node takes jobs", 0, 0, remaining, 0);
    }
    NodeSample t = target.get();
    double cost = cost(job, source, t);
    double s = shareHere(job, source, demand), g = shareIfAdded(t, demand, job.cpuDemand());
    double gain = g > s ? remaining * (1 - s / g) : 0;
    // a drain is an order, not a bet: the move has nothing to pay back
    return new Decision(job.id(), source.name(), t.name(), Decision.Verdict.MOVE, "node is draining", cost, gain, remaining, 0);
  }

  private Decision balance(JobSample job, NodeSample source, List<NodeSample> nodes, Map<String, Double> demand, Map<String, Integer> count) {
    double remaining = lifetimes.remainingSeconds(job.executable(), job.ageSeconds());
    String from = source.name();
    if (job.localDevice() != null) {
      return new Decision(job.id(), from, null, Decision.Verdict.PINNED, "holds local device " + job.localDevice(), 0, 0, remaining, 0);
    }
    if (job.localIoBytesPerSecond() > config.maxLocalIoBytesPerSecond()) {
      return new Decision(job.id(), from, null, Decision.Verdict.PINNED, String.format("local file I/O %.1f MiB/s is above the limit of %.1f MiB/s",
          job.localIoBytesPerSecond() / 1048576, config.maxLocalIoBytesPerSecond() / 1048576), 0, 0, remaining, 0);
    }
    if (job.secondsSinceLastMove() < job.lastMovePayback()) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY, String.format("its last move pays back after %.1f s, %.1f s have passed",
          job.lastMovePayback(), job.secondsSinceLastMove()), 0, 0, remaining, 0);
    }
    Optional<NodeSample> target = bestTarget(job, source, nodes, demand, count);
    double s = shareHere(job, source, demand);
    if (target.isEmpty() || shareIfAdded(target.get(), demand, job.cpuDemand()) <= s) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY,
          String.format("no node would give it more CPU (it gets %.2f of the %.2f it wants)", s, job.cpuDemand()), 0, 0, remaining, 0);
    }
    NodeSample t = target.get();
    double g = shareIfAdded(t, demand, job.cpuDemand());
    double cost = cost(job, source, t);
    double gain = remaining * (1 - s / g);
    if (job.ageSeconds() < cost) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY, String.format("younger (%.1f s) than its move's cost", job.ageSeconds()),
          cost, gain, remaining, 0);
    }
    if (gain <= cost) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY,
          String.format("gain on %s (%.2f instead of %.2f CPU) does not beat the cost", t.name(), g, s), cost, gain, remaining, 0);
    }
    return new Decision(job.id(), from, t.name(), Decision.Verdict.MOVE, String.format("%.2f instead of %.2f CPU on %s", g, s, t.name()),
        cost, gain, remaining, payback(cost, s, g));
  }

  /** The node that would give the job the most CPU; ties to the one with fewer jobs, then by name. */
  private Optional<NodeSample> bestTarget(JobSample job, NodeSample source, List<NodeSample> nodes, Map<String, Double> demand,
                                          Map<String, Integer> count) {
    return nodes.stream().filter(n -> !n.draining() && !n.name().equals(source.name()))
        .max(Comparator.<NodeSample>comparingDouble(n -> shareIfAdded(n, demand, job.cpuDemand()))
            .thenComparingInt(n -> -count.get(n.name())).thenComparing(NodeSample::name, Comparator.reverseOrder()));
  }

  private double cost(JobSample job, NodeSample source, NodeSample target) {
    return costs.freezeSeconds(job.dirtyBytes(), Math.min(source.linkBytesPerSecond(), target.linkBytesPerSecond()));
  }

  /** Seconds on the new node after which the CPU gained has made up for the freeze. */
  private static double payback(double cost, double before, double after) {
    return after > before ? cost / (after / before - 1) : Double.POSITIVE_INFINITY;
  }

  private static double shareHere(JobSample job, NodeSample node, Map<String, Double> demand) {
    return CpuShare.of(job.cpuDemand(), node.cpuCapacity(), demand.get(node.name()));
  }

  private static double shareIfAdded(NodeSample node, Map<String, Double> demand, double jobDemand) {
    return CpuShare.of(jobDemand, node.cpuCapacity(), demand.get(node.name()) + jobDemand);
  }

  private static double crowding(NodeSample node, Map<String, Double> demand) {
    return node == null ? 0 : demand.get(node.name()) / node.cpuCapacity();
  }

  private Map<String, Double> demandByNode(List<NodeSample> nodes, List<JobSample> jobs) {
    Map<String, Double> demand = new HashMap<>();
    for (NodeSample n : nodes) demand.put(n.name(), n.pendingJobs() * config.newJobDemand());
    for (JobSample j : jobs) demand.computeIfPresent(j.node(), (k, v) -> v + j.cpuDemand());
    return demand;
  }

  private static Map<String, Integer> countByNode(List<NodeSample> nodes, List<JobSample> jobs) {
    Map<String, Integer> count = new HashMap<>();
    for (NodeSample n : nodes) count.put(n.name(), n.pendingJobs());
    for (JobSample j : jobs) count.computeIfPresent(j.node(), (k, v) -> v + 1);
    return count;
  }
}
