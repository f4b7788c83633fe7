package tern.util;

/**
 * The small helpers every part of Tern uses, in one place: a root cause's message, a sleep that keeps
 * the interrupt, a figure rounded for JSON.
 */
public final class Util {
  private Util() { }

  /** The message of the innermost cause: what went wrong, without the layers that passed it on. */
  public static String rootMessage(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) e = e.getCause();
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Sleeps; an interrupt ends the sleep early and stays set for the caller to see. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** To a thousandth, as the cluster's samples and the API show figures. */
  public static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
