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
 * A running job moves for CPU only when it wants CPU that it is not getting: its demand d (the cores
 * it ran plus those it waited for) exceeds what it gets by at least {@link #MIN_CPU_GAIN}, and another
 * node would give it at least that much more. It gets s here and g there. CPU limits the part d (at
 * most all) of its time, so over a remaining time R it saves R d (1 - s/g): a CPU-bound job R (1 - s/g),
 * one that mostly sleeps little however short its node is of CPU. The move costs F (learned from past
 * migrations) and is made when the saving beats F over the time the job goes on running with
 * probability {@link #PAYBACK_CONFIDENCE}. Never moved: a job holding a local device, one doing more
 * local file I/O than the limit, one younger than F, and one whose last move has not paid back yet (no
 * ping-pong). A job goes only to nodes whose CPU has every feature of the CPU it started on (it may
 * use them); one that no other node can run stays pinned even on a draining node. A draining node's
 * movable jobs all leave, gain or not.
 */
public final class BalancePolicy {
  /**
   * Cores below which a difference between demand, share and offer is no reason to move. A wake-up on
   * a node whose CPU quota is spent waits for the next quota period (100 ms), so a job that sleeps and
   * wakes now and then shows up to a tenth of a core of waiting without wanting CPU (idle jobs showed
   * 0.08 in the lab while 150 of them started).
   */
  public static final double MIN_CPU_GAIN = 0.1;
  /**
   * How likely a move must be to pay back. Even odds (the median) are not enough: half the jobs so
   * moved end before their move has paid, and such a move costs more than its freeze, since it takes
   * the CPU that a job that runs on would have had. In the simulator, at load 0.9, Tern's moves cut the
   * mean delay 0.74 times as much as the oracle's (which knows run times) at even odds, 0.85 times at
   * two to one (tests/bench/RESULTS.md).
   */
  public static final double PAYBACK_CONFIDENCE = 2.0 / 3;
  private final PolicyConfig config;
  private final MigrationCostModel costs;
  private final Lifetimes lifetimes;
  /** The node the last placement chose: ties go round from there (see {@link #place}). */
  private String lastPlaced = "";

  public BalancePolicy(PolicyConfig config, MigrationCostModel costs, Lifetimes lifetimes) {
    this.config = config;
    this.costs = costs;
    this.lifetimes = lifetimes;
  }

  /**
   * The node where a new job of this program is expected to finish soonest: the most CPU for it, jobs
   * placed but not yet sampled counted as wanting a core each; then the node with fewer jobs. Nodes
   * still equal are taken in turn, from the one after the node chosen last (in name order). A fixed
   * order would decide, for every newcomer that has to share, which jobs it shares with, and the moves
   * would then be judged against that accident rather than against placement (tests/bench/RESULTS.md).
   */
  public Optional<String> place(List<NodeSample> nodes, List<JobSample> jobs, String executable) {
    Map<String, Double> demand = demandByNode(nodes, jobs);
    Map<String, Integer> count = countByNode(nodes, jobs);
    double work = Math.max(lifetimes.expectedLifetime(executable), 1.0) * config.newJobDemand();
    Comparator<NodeSample> sooner = Comparator.<NodeSample>comparingDouble(n -> work / shareIfAdded(n, demand, config.newJobDemand()))
        .thenComparingInt(n -> count.get(n.name()));
    List<NodeSample> open = nodes.stream().filter(n -> !n.draining()).sorted(sooner.thenComparing(NodeSample::name)).toList();
    if (open.isEmpty()) return Optional.empty();
    List<NodeSample> best = open.stream().filter(n -> sooner.compare(n, open.get(0)) == 0).toList();
    String chosen = best.stream().map(NodeSample::name).filter(n -> n.compareTo(lastPlaced) > 0).findFirst().orElse(best.get(0).name());
    lastPlaced = chosen;
    return Optional.of(chosen);
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
    List<String> unfit = nodes.stream().filter(n -> !n.draining() && job.unfitNodes().containsKey(n.name()))
        .map(n -> job.unfitNodes().get(n.name())).toList();
    if (target.isEmpty() && !unfit.isEmpty()) {
      // it may use features of the CPU it started on that no node taking jobs has: it cannot leave
      return new Decision(job.id(), source.name(), null, Decision.Verdict.PINNED, "no node that takes jobs can run it: " + String.join("; ", unfit),
          0, 0, remaining, 0);
    }
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
    if (job.cpuDemand() - job.cpuUsed() < MIN_CPU_GAIN) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY,
          String.format("gets the CPU it wants (%.2f of %.2f)", job.cpuUsed(), job.cpuDemand()), 0, 0, remaining, 0);
    }
    // what it gets here: as sampled, or more if this round's moves have made room for it
    double s = Math.max(job.cpuUsed(), shareHere(job, source, demand));
    Optional<NodeSample> target = bestTarget(job, source, nodes, demand, count);
    double g = target.map(t -> shareIfAdded(t, demand, job.cpuDemand())).orElse(0.0);
    if (g - s < MIN_CPU_GAIN) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY,
          String.format("no node would give it more CPU (it gets %.2f of the %.2f it wants)", s, job.cpuDemand()), 0, 0, remaining, 0);
    }
    NodeSample t = target.get();
    double cost = cost(job, source, t);
    double limited = Math.min(job.cpuDemand(), 1.0);
    // the time saved over the time it goes on running with the confidence asked for
    double gain = lifetimes.remainingSeconds(job.executable(), job.ageSeconds(), PAYBACK_CONFIDENCE) * limited * (1 - s / g);
    if (job.ageSeconds() < cost) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY, String.format("younger (%.1f s) than its move's cost", job.ageSeconds()),
          cost, gain, remaining, 0);
    }
    if (gain <= cost) {
      return new Decision(job.id(), from, null, Decision.Verdict.STAY,
          String.format("gain on %s (%.2f instead of %.2f CPU) does not beat the cost", t.name(), g, s), cost, gain, remaining, 0);
    }
    return new Decision(job.id(), from, t.name(), Decision.Verdict.MOVE, String.format("%.2f instead of %.2f CPU on %s", g, s, t.name()),
        cost, gain, remaining, payback(cost, limited * (g / s - 1)));
  }

  /** Of the nodes whose CPU can run the job, the one that would give it the most CPU; ties to the one with fewer jobs, then by name. */
  private Optional<NodeSample> bestTarget(JobSample job, NodeSample source, List<NodeSample> nodes, Map<String, Double> demand,
                                          Map<String, Integer> count) {
    return nodes.stream().filter(n -> !n.draining() && !n.name().equals(source.name()) && !job.unfitNodes().containsKey(n.name()))
        .max(Comparator.<NodeSample>comparingDouble(n -> shareIfAdded(n, demand, job.cpuDemand()))
            .thenComparingInt(n -> -count.get(n.name())).thenComparing(NodeSample::name, Comparator.reverseOrder()));
  }

  private double cost(JobSample job, NodeSample source, NodeSample target) {
    return costs.freezeSeconds(job.dirtyBytes(), Math.min(source.linkBytesPerSecond(), target.linkBytesPerSecond()));
  }

  /** Seconds on the new node after which the time saved (savedPerSecond of each second there) has made up for the freeze. */
  private static double payback(double cost, double savedPerSecond) {
    return savedPerSecond > 0 ? cost / savedPerSecond : Double.POSITIVE_INFINITY;
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
