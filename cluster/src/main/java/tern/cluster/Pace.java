package tern.cluster;

import java.util.Properties;

/**
 * How many times slower than the PCs Tern's timings are made for this cluster's machines run: 1, or
 * the system property {@value #PROPERTY} where they are slower (a CPU emulated by qemu, whose JVM
 * stalls for seconds under load: node-image/jvm/emulated.options). It scales how long a member may
 * stay silent before the others count it dead, and how long the gateway waits for a node's answer.
 */
public final class Pace {
  static final String PROPERTY = "tern.cluster.pace";
  private static final int FACTOR = of(System.getProperties());

  private Pace() { }

  /** This JVM's factor. */
  public static int factor() { return FACTOR; }

  static int of(Properties system) {
    String v = system.getProperty(PROPERTY);
    if (v == null) return 1;
    try {
      int f = Integer.parseInt(v.trim());
      if (f >= 1 && f <= 100) return f;
    } catch (NumberFormatException e) {
      // told below, with the value
    }
    throw new IllegalArgumentException(PROPERTY + " must be a whole number from 1 to 100 (times slower), not '" + v + "'");
  }
}
