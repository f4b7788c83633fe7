package tern.policy;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CPU demand to judge a job by, from its node's once-a-second samples: what it used, plus what it
 * waited for in each of its last two samples on that node. The first rates of a job measure its
 * start-up (the capsule, the program loading), and a second of waiting (a burst of starts on its node)
 * is a blip, not a job that wants CPU it is not getting; such a job goes on wanting it. Idle jobs were
 * moved in the lab for the second their start-up waited for a busy node.
 */
public final class SustainedDemand {
  /** A job's last sample seen on a node: when, the cores it waited for then, and in the sample before (NaN: none). */
  private record Seen(String node, long sampledAt, double waited, double waitedBefore) { }

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /**
   * The job's demand, given its sample on {@code node} taken at {@code sampledAt} (cores used, and used
   * plus waited for); empty until two samples on that node have rates: until then it is a job just placed.
   */
  public OptionalDouble of(String jobId, String node, long sampledAt, double used, double demand) {
    double waited = Math.max(0, demand - used);
    Seen s = seen.compute(jobId, (id, last) -> {
      if (last == null || !last.node().equals(node)) return new Seen(node, sampledAt, waited, Double.NaN);
      return last.sampledAt() == sampledAt ? last : new Seen(node, sampledAt, waited, last.waited());
    });
    return Double.isNaN(s.waitedBefore()) ? OptionalDouble.empty() : OptionalDouble.of(used + Math.min(s.waited(), s.waitedBefore()));
  }

  /** Forgets every job but these (the others have ended). */
  public void retain(Set<String> jobIds) { seen.keySet().retainAll(jobIds); }
}
