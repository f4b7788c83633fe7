package tern.capsule;

import java.util.regex.Pattern;

/**
 * Where a job's capsule lives on one node. Derived from the node and the job, so the donor's and
 * the acceptor's capsules of one job never collide, even when nodes share a host (the lab).
 */
public record CapsuleNames(String node, String jobId, String vip, String cgroupParent) {
  /** The node side of every capsule link; the capsule's default route points at it. */
  public static final String NODE_SIDE_IP = "169.254.1.1";

  /** Job ids and node names become parts of interface, namespace and cgroup names (IFNAMSIZ is 16). */
  public static final Pattern JOB_ID = Pattern.compile("j[0-9]{1,8}");
  public static final String JOB_ID_SHAPE = "a job id (j and 1 to 8 digits)";
  public static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9]{0,7}");
  public static final String NODE_NAME_SHAPE = "a node name (a lower-case letter, then up to 7 letters or digits)";

  public CapsuleNames {
    if (!JOB_ID.matcher(jobId).matches()) throw new IllegalArgumentException("bad job id '" + jobId + "'");
    if (!NODE_NAME.matcher(node).matches()) throw new IllegalArgumentException("bad node name '" + node + "'");
  }

  public String netns() { return "tern-" + node + "-" + jobId; }

  public String nodeLink() { return "vc-" + jobId; }

  /** The job's cgroup path inside each v1 hierarchy (cpu, cpuacct). */
  public String cgroup() { return cgroupParent + "/" + jobId; }
}
