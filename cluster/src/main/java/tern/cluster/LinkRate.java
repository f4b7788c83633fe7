package tern.cluster;

/** A link rate written as tc writes it (100mbit, 1gbit, 512kbit), in bits per second. */
public final class LinkRate {
  private LinkRate() { }

  public static long parse(String rate) {
    String r = rate.trim().toLowerCase();
    if (!r.matches("[0-9]+(k|m|g)?bit")) throw new IllegalArgumentException("bad link rate '" + rate + "', expected e.g. 100mbit");
    long n = Long.parseLong(r.replaceAll("[^0-9]", ""));
    return switch (r.replaceAll("[0-9]", "")) {
      case "kbit" -> n * 1_000L;
      case "mbit" -> n * 1_000_000L;
      case "gbit" -> n * 1_000_000_000L;
      default -> n;
    };
  }
}
