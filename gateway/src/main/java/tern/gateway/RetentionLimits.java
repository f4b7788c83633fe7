package tern.gateway;

import java.util.Locale;

/**
 * How much of the ended jobs the gateway keeps (their records and their output files): each for at
 * most {@code keepEndedMillis} after it ended, at most {@code keepEndedJobs} of them, and their output
 * with the running jobs' within {@code keepOutputBytes}. The defaults fit a small data partition.
 */
record RetentionLimits(long keepEndedMillis, long keepOutputBytes, int keepEndedJobs) {
  static final String DEFAULT_KEEP_ENDED = "7d";
  static final String DEFAULT_KEEP_OUTPUT = "256m";
  static final String DEFAULT_KEEP_ENDED_JOBS = "1000";

  RetentionLimits {
    if (keepEndedMillis < 0 || keepOutputBytes < 0 || keepEndedJobs < 0) {
      throw new IllegalArgumentException("retention limits cannot be negative");
    }
  }

  /** The gateway's options, as given: {@code --keep-ended 7d --keep-output 256m --keep-ended-jobs 1000}. */
  static RetentionLimits parse(String keepEnded, String keepOutput, String keepEndedJobs) {
    int jobs;
    try {
      jobs = Integer.parseInt(keepEndedJobs.trim());
    } catch (NumberFormatException e) {
      jobs = -1;
    }
    if (jobs < 0) throw new IllegalArgumentException("--keep-ended-jobs must be a number of jobs (0 or more), got '" + keepEndedJobs + "'");
    return new RetentionLimits(millis("--keep-ended", keepEnded), bytes("--keep-output", keepOutput), jobs);
  }

  /** A duration such as 7d, 12h, 30m, 5s (a bare number is seconds). */
  static long millis(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.matches("[0-9]{1,9}[dhms]?")) {
      throw new IllegalArgumentException(option + " must be a duration such as 7d, 12h, 30m or 45s, got '" + text + "'");
    }
    long n = Long.parseLong(t.replaceAll("[dhms]", ""));
    return n * switch (t.charAt(t.length() - 1)) {
      case 'd' -> 86_400_000L;
      case 'h' -> 3_600_000L;
      case 'm' -> 60_000L;
      default -> 1_000L;
    };
  }

  /** A size such as 1g, 256m, 64k (powers of 1024; a bare number is bytes). */
  static long bytes(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.matches("[0-9]{1,9}[kmg]?")) {
      throw new IllegalArgumentException(option + " must be a size such as 1g, 256m or 64k, got '" + text + "'");
    }
    long n = Long.parseLong(t.replaceAll("[kmg]", ""));
    return n << switch (t.charAt(t.length() - 1)) {
      case 'g' -> 30;
      case 'm' -> 20;
      case 'k' -> 10;
      default -> 0;
    };
  }

  /** What the limits are, for whoever asks after a job that is gone. */
  String describe() {
    return "the gateway keeps an ended job's record and output for " + duration(keepEndedMillis) + ", at most " + keepEndedJobs
        + " ended jobs, and jobs' output within " + size(keepOutputBytes) + ", removing the oldest ended first"
        + " (its options --keep-ended, --keep-ended-jobs, --keep-output)";
  }

  private static String duration(long ms) {
    if (ms % 86_400_000L == 0 && ms > 0) return ms / 86_400_000L + " d";
    if (ms % 3_600_000L == 0 && ms > 0) return ms / 3_600_000L + " h";
    if (ms % 60_000L == 0 && ms > 0) return ms / 60_000L + " min";
    return ms / 1000 + " s";
  }

  private static String size(long bytes) {
    if (bytes % (1L << 30) == 0 && bytes > 0) return (bytes >> 30) + " GiB";
    if (bytes % (1L << 20) == 0 && bytes > 0) return (bytes >> 20) + " MiB";
    if (bytes % (1L << 10) == 0 && bytes > 0) return (bytes >> 10) + " KiB";
    return bytes + " bytes";
  }
}
