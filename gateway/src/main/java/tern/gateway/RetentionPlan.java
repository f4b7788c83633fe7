package tern.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which ended jobs to remove (record and output), decided with no I/O. Oldest first: a job goes when it
 * ended more than {@link RetentionLimits#keepEndedMillis} ago (AGE); then, while more ended jobs are
 * left than {@link RetentionLimits#keepEndedJobs} (COUNT); then while the output of the running jobs
 * and of the ended ones left exceeds {@link RetentionLimits#keepOutputBytes} (SIZE). A running job's
 * output is never removed nor cut: running jobs whose output alone exceeds the budget leave no ended
 * job's output kept, and the budget is exceeded by that much until they end (and then go, oldest first).
 * Exactly at a limit is within it. An end time later than {@code now} (the clock went back) counts as
 * having just ended: such a job outlives its time by as much as the clock went back, but never the
 * count and size limits.
 */
final class RetentionPlan {
  private RetentionPlan() { }

  /** An ended job: its id, when it ended (a leftover file without its record: when it was last written), its output's bytes. */
  record Ended(String id, long endedAt, long bytes) { }

  enum Reason { AGE, COUNT, SIZE }

  record Removal(Ended job, Reason reason) { }

  static List<Removal> of(List<Ended> ended, long runningBytes, long now, RetentionLimits limits) {
    List<Ended> oldestFirst = new ArrayList<>(ended);
    oldestFirst.sort(Comparator.comparingLong(Ended::endedAt).thenComparing(Ended::id, RetentionPlan::byNumber));
    List<Removal> out = new ArrayList<>();
    long total = runningBytes;
    for (Ended e : oldestFirst) total += e.bytes();
    int left = oldestFirst.size();
    for (Ended e : oldestFirst) {
      Reason why = now - e.endedAt() > limits.keepEndedMillis() ? Reason.AGE
          : left > limits.keepEndedJobs() ? Reason.COUNT
          : total > limits.keepOutputBytes() ? Reason.SIZE
          : null;
      if (why == null) break;  // the older ones are gone and this one is within every limit: so are the newer
      out.add(new Removal(e, why));
      left--;
      total -= e.bytes();
    }
    return out;
  }

  /** j9 before j10: ids are a prefix and a number. */
  private static int byNumber(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }
}
