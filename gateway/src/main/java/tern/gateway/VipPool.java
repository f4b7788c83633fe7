package tern.gateway;

import com.hazelcast.map.IMap;

/** Virtual IPs for jobs, leased from a configured IPv4 block; a lease lives in the cluster's state. */
final class VipPool {
  private final long first;
  private final long last;
  private final IMap<String, String> leases;

  VipPool(String cidr, IMap<String, String> leases) {
    String[] parts = cidr.split("/");
    if (parts.length != 2) throw new IllegalArgumentException("VIP pool must be a CIDR block like 10.79.0.0/24, got " + cidr);
    int bits = Integer.parseInt(parts[1]);
    if (bits < 8 || bits > 30) throw new IllegalArgumentException("VIP pool prefix must be /8../30, got /" + bits);
    long base = toLong(parts[0]) & (0xffffffffL << (32 - bits)) & 0xffffffffL;
    this.first = base + 2;  // .1 is left for a router, by habit
    this.last = base + (1L << (32 - bits)) - 2;
    this.leases = leases;
  }

  String lease(String jobId) {
    for (long a = first; a <= last; a++) {
      String ip = toIp(a);
      if (leases.putIfAbsent(ip, jobId) == null) return ip;
    }
    throw new IllegalStateException("VIP pool exhausted: all " + (last - first + 1) + " addresses are leased");
  }

  void release(String ip, String jobId) { leases.remove(ip, jobId); }

  static long toLong(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
    long v = 0;
    for (String s : o) {
      int b = Integer.parseInt(s);
      if (b < 0 || b > 255) throw new IllegalArgumentException("not an IPv4 address: " + ip);
      v = (v << 8) | b;
    }
    return v;
  }

  static String toIp(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }
}
