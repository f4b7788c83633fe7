package tern.policy;

/**
 * One node as the balancer sees it.
 *
 * @param cpuCapacity        cores its jobs may use
 * @param linkBytesPerSecond its LAN link
 * @param draining           no new jobs, and every movable job leaves
 * @param pendingJobs        jobs placed on it that its samples do not show yet (a burst of starts)
 */
public record NodeSample(String name, double cpuCapacity, double linkBytesPerSecond, boolean draining, int pendingJobs) { }
