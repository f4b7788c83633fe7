package tern.request;

/** A request the gateway refuses or fails: the status (4xx, 5xx) the API answers with, and why. */
public final class RequestError extends RuntimeException {
  private final int status;

  public RequestError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() { return status; }
}
