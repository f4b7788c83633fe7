package tern.sim;

import tern.policy.BalancePolicy;
import tern.policy.Decision;
import tern.policy.JobSample;
import tern.policy.LifetimeModel;
import tern.policy.Lifetimes;
import tern.policy.MigrationCostModel;
import tern.policy.NodeSample;
import tern.policy.PolicyConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of hosts of one CPU each, sharing each CPU equally among its running jobs, driven by a
 * trace and by the real policy code: placement of every arriving job, and (except for placement
 * only) once a second the policy's verdicts, whose moves freeze a job for the true cost of a migration
 * (a fixed part plus its memory over the link) before it runs on its new host. The cost model learns
 * that cost from the simulated migrations, as in the gateway.
 */
final class ClusterSimulator {
  /**
   * PLACEMENT_ONLY, TERN, ORACLE: every job placed by the policy (where it finishes soonest); never
   * moved, moved by Tern's rule, or moved by the rule with every run time known. BORN_LOCAL and
   * BORN_LOCAL_TERN: each job starts on the host it arrives at (a uniformly random one), as in
   * Harchol-Balter and Downey's study, never moved or moved by Tern's rule.
   */
  enum Strategy {
    PLACEMENT_ONLY(true, false), TERN(true, true), ORACLE(true, true), BORN_LOCAL(false, false), BORN_LOCAL_TERN(false, true);

    final boolean placed;
    final boolean migrates;

    Strategy(boolean placed, boolean migrates) {
      this.placed = placed;
      this.migrates = migrates;
    }
  }

  record Result(double meanSlowdown, double meanDelay, int migrations, int jobs) { }

  static final double DT = 0.02;
  private final int hosts;
  private final double fixedCost;
  private final double linkBytesPerSecond;

  ClusterSimulator(int hosts, double fixedCost, double linkBytesPerSecond) {
    this.hosts = hosts;
    this.fixedCost = fixedCost;
    this.linkBytesPerSecond = linkBytesPerSecond;
  }

  private static final class Running {
    final Trace.Job job;
    int host;
    double done;
    double frozenUntil = -1;
    double lastMovedAt = Double.NEGATIVE_INFINITY;
    double lastPayback;
    double share;

    Running(Trace.Job job, int host) {
      this.job = job;
      this.host = host;
    }

    String program() { return "job-" + job.id(); }
  }

  Result run(Trace trace, Strategy strategy) {
    Map<String, Running> live = new HashMap<>();
    Lifetimes lifetimes = strategy == Strategy.ORACLE
        // the oracle knows how long each job will still run where it is
        ? (program, age) -> {
          Running r = live.get(program);
          if (r == null) return 0;
          return (r.job.cpuSeconds() - r.done) / Math.max(r.share, 1e-3);
        }
        : new LifetimeModel();
    MigrationCostModel costs = new MigrationCostModel();
    BalancePolicy policy = new BalancePolicy(PolicyConfig.DEFAULT, costs, lifetimes);
    List<Trace.Job> arrivals = trace.jobs();
    int next = 0, finished = 0, migrations = 0;
    double sumSlowdown = 0, sumDelay = 0;
    double t = 0, nextDecision = 1.0;
    List<NodeSample> nodes = new ArrayList<>();
    for (int h = 0; h < hosts; h++) nodes.add(new NodeSample("h" + h, 1.0, linkBytesPerSecond, false, 0));
    while (finished < arrivals.size()) {
      while (next < arrivals.size() && arrivals.get(next).arrival() <= t) {
        Trace.Job j = arrivals.get(next++);
        Running r = new Running(j, 0);
        r.host = strategy.placed ? Integer.parseInt(policy.place(nodes, samples(live, t), r.program()).orElseThrow().substring(1))
            : new java.util.Random(j.id() * 7919L + 17).nextInt(hosts);
        live.put(r.program(), r);
      }
      // each host's CPU, shared equally among its jobs that are not frozen in a migration
      int[] running = new int[hosts];
      for (Running r : live.values()) if (r.frozenUntil <= t) running[r.host]++;
      List<String> ended = new ArrayList<>();
      for (Running r : live.values()) {
        if (r.frozenUntil > t) {
          r.share = 0;
          continue;
        }
        r.share = 1.0 / running[r.host];
        r.done += r.share * DT;
        if (r.done >= r.job.cpuSeconds()) ended.add(r.program());
      }
      for (String p : ended) {
        Running r = live.remove(p);
        double response = t + DT - r.job.arrival();
        sumSlowdown += response / r.job.cpuSeconds();
        sumDelay += response - r.job.cpuSeconds();
        finished++;
        if (lifetimes instanceof LifetimeModel m) m.ended(p, response);
      }
      t += DT;
      if (strategy.migrates && t >= nextDecision) {
        nextDecision += 1.0;
        for (Decision d : policy.decide(nodes, samples(live, t))) {
          if (!d.moves()) continue;
          Running r = live.get(d.jobId());
          double cost = fixedCost + r.job.memoryBytes() / linkBytesPerSecond;
          r.frozenUntil = t + cost;
          r.host = Integer.parseInt(d.to().substring(1));
          r.lastMovedAt = t + cost;
          r.lastPayback = d.paybackSeconds();
          costs.observe(new MigrationCostModel.Sample(r.job.memoryBytes(), linkBytesPerSecond, cost));
          migrations++;
        }
      }
    }
    return new Result(sumSlowdown / finished, sumDelay / finished, migrations, finished);
  }

  /**
   * The bound no balancer can beat: one pool of all the hosts' CPUs shared equally by every job
   * (as if migration were free and instant), on the same trace.
   */
  Result pooled(Trace trace) {
    List<double[]> live = new ArrayList<>();  // cpu seconds, done, arrival
    List<Trace.Job> jobs = trace.jobs();
    int next = 0, finished = 0;
    double t = 0, sumSlowdown = 0, sumDelay = 0;
    while (finished < jobs.size()) {
      while (next < jobs.size() && jobs.get(next).arrival() <= t) {
        Trace.Job j = jobs.get(next++);
        live.add(new double[] {j.cpuSeconds(), 0, j.arrival()});
      }
      double share = live.isEmpty() ? 0 : Math.min(1.0, (double) hosts / live.size());
      for (java.util.Iterator<double[]> it = live.iterator(); it.hasNext(); ) {
        double[] r = it.next();
        r[1] += share * DT;
        if (r[1] >= r[0]) {
          double response = t + DT - r[2];
          sumSlowdown += response / r[0];
          sumDelay += response - r[0];
          finished++;
          it.remove();
        }
      }
      t += DT;
    }
    return new Result(sumSlowdown / finished, sumDelay / finished, 0, finished);
  }

  private static List<JobSample> samples(Map<String, Running> live, double t) {
    List<JobSample> jobs = new ArrayList<>();
    for (Running r : live.values()) {
      if (r.frozenUntil > t) continue;  // in flight: not the policy's to move
      jobs.add(new JobSample(r.program(), "h" + r.host, r.program(), r.share, 1.0, t - r.job.arrival(), r.job.memoryBytes(), 0, null,
          t - r.lastMovedAt, r.lastPayback, Map.of()));
    }
    return jobs;
  }
}
