package tern.gateway;

/** A request the gateway answers with a 4xx or 5xx status and this message. */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() { return status; }
}
