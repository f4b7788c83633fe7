package tern.policy;

import java.util.Map;

/**
 * What the balancer knows of one running job, from its node's last samples and its record.
 *
 * @param cpuUsed        cores it got over the last second
 * @param cpuDemand      cores it wanted (got + waited for): above cpuUsed when its node is short of CPU
 * @param dirtyBytes     anonymous memory a migration must move
 * @param localDevice    the local device it holds (pins it to its node), or null
 * @param secondsSinceLastMove  time since its last migration ended; infinite if it never moved
 * @param lastMovePayback       how long its last move needed on the new node to pay back its cost (0: never moved)
 * @param unfitNodes     the nodes whose CPU cannot run it (they lack a feature of the CPU it started on), each with the reason
 */
public record JobSample(String id, String node, String executable, double cpuUsed, double cpuDemand, double ageSeconds,
                        long dirtyBytes, double localIoBytesPerSecond, String localDevice,
                        double secondsSinceLastMove, double lastMovePayback, Map<String, String> unfitNodes) {
  public JobSample {
    if (cpuDemand < cpuUsed) cpuDemand = cpuUsed;
    unfitNodes = Map.copyOf(unfitNodes);
  }

  /** A job that never moved. */
  public static JobSample of(String id, String node, String executable, double cpuUsed, double cpuDemand, double ageSeconds,
                             long dirtyBytes, double localIoBytesPerSecond, String localDevice) {
    return new JobSample(id, node, executable, cpuUsed, cpuDemand, ageSeconds, dirtyBytes, localIoBytesPerSecond, localDevice,
        Double.POSITIVE_INFINITY, 0, Map.of());
  }
}
