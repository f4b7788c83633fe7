package tern.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How long a migration freezes a job: a fixed part (dump, restore, the protocol's round trips) plus
 * its dirty memory over the link, at an efficiency learned from past migrations (compression makes
 * text cheaper than the raw link rate; framing and the restore make anything dearer). A least-squares
 * fit of freeze = fixed + slope * (bytes / link rate) over the last migrations; until they say
 * enough, the defaults (0.3 s, the raw link rate).
 */
public final class MigrationCostModel {
  public static final double DEFAULT_FIXED_SECONDS = 0.3;
  public static final double DEFAULT_SLOPE = 1.0;
  static final int WINDOW = 64;
  static final int MIN_SAMPLES = 3;
  /** Below this spread of sizes (standard deviation over mean) the fit's slope would be noise. */
  static final double SPREAD = 0.25;

  /** One past migration: its dirty bytes, the link it crossed, and the freeze it caused. */
  public record Sample(long bytes, double linkBytesPerSecond, double freezeSeconds) {
    double x() { return bytes / linkBytesPerSecond; }
  }

  private final Deque<Sample> samples = new ArrayDeque<>();
  private double fixed = DEFAULT_FIXED_SECONDS;
  private double slope = DEFAULT_SLOPE;

  public MigrationCostModel() { }

  public MigrationCostModel(List<Sample> history) { history.forEach(this::observe); }

  public void observe(Sample s) {
    if (s.bytes() < 0 || s.linkBytesPerSecond() <= 0 || s.freezeSeconds() < 0) throw new IllegalArgumentException("bad sample " + s);
    samples.addLast(s);
    while (samples.size() > WINDOW) samples.removeFirst();
    fit();
  }

  /** Predicted freeze, in seconds, of moving {@code bytes} of dirty memory over a link of the given rate. */
  public double freezeSeconds(long bytes, double linkBytesPerSecond) {
    return fixed + slope * bytes / linkBytesPerSecond;
  }

  public double fixedSeconds() { return fixed; }

  public double slope() { return slope; }

  public List<Sample> samples() { return List.copyOf(samples); }

  private void fit() {
    int n = samples.size();
    if (n < MIN_SAMPLES) return;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (Sample s : samples) {
      sx += s.x();
      sy += s.freezeSeconds();
      sxx += s.x() * s.x();
      sxy += s.x() * s.freezeSeconds();
    }
    double meanX = sx / n, meanY = sy / n, varX = sxx / n - meanX * meanX;
    if (varX < SPREAD * SPREAD * meanX * meanX) {
      // migrations of about one size cannot tell the fixed part from the slope: keep the default
      // fixed part (or less, if they were all quicker than that) and learn the slope above it
      fixed = Math.min(DEFAULT_FIXED_SECONDS, meanY);
      slope = Math.max(0.1, meanX > 0 ? (meanY - fixed) / meanX : DEFAULT_SLOPE);
      return;
    }
    double b = (sxy / n - meanX * meanY) / varX;
    // a negative or tiny slope is noise (memory never moves faster than many times the link)
    slope = Math.max(0.1, b);
    fixed = Math.max(0, meanY - slope * meanX);
  }
}
