package tern.policy;

/**
 * The balancer's settings.
 *
 * @param maxLocalIoBytesPerSecond a job doing more local file I/O than this stays where its files are
 * @param newJobDemand             cores a new or unknown job is assumed to want
 */
public record PolicyConfig(double maxLocalIoBytesPerSecond, double newJobDemand) {
  public static final PolicyConfig DEFAULT = new PolicyConfig(1024 * 1024, 1.0);
}
