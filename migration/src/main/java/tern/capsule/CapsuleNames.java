package tern.capsule;

import static tern.protocol.Identifiers.JOB_ID;
import static tern.protocol.Identifiers.NODE_NAME;

/**
 * Where a job's capsule lives on one node. Derived from the node and the job, so the donor's and
 * the acceptor's capsules of one job never collide, even when nodes share a host (the lab).
 */
public record CapsuleNames(String node, String jobId, String vip, String cgroupParent) {
  /** The node side of every capsule link; the capsule's default route points at it. */
  public static final String NODE_SIDE_IP = "169.254.1.1";

  public CapsuleNames {
    if (!JOB_ID.matcher(jobId).matches()) throw new IllegalArgumentException("bad job id '" + jobId + "'");
    if (!NODE_NAME.matcher(node).matches()) throw new IllegalArgumentException("bad node name '" + node + "'");
  }

  public String netns() { return "tern-" + node + "-" + jobId; }

  public String nodeLink() { return "vc-" + jobId; }

  /** The job's cgroup path inside each v1 hierarchy (cpu, cpuacct). */
  public String cgroup() { return cgroupParent + "/" + jobId; }
}
