package tern.migration;

/** A request this node will not carry out, with the status the gateway passes on (404, 409, ...). */
public final class Refusal extends RuntimeException {
  private final int status;

  public Refusal(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() { return status; }

  public static Refusal unknownJob(String jobId, String node) {
    return new Refusal(404, "no job " + jobId + " on " + node);
  }
}
