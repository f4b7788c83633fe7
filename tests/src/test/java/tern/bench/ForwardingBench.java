package tern.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tern.e2e.KillStartedJobs;
import tern.e2e.Lab;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Forwarding from the outside (the root namespace, 10.77.0.1) to a job on n1, three ways, measured
 * in the same run and interleaved: through the Tern gateway (an exposed port), through HAProxy
 * (Debian's package, a plain TCP forwarder in the gateway's namespace), and by the direct route
 * (the job's VIP routed through the gateway namespace, no proxy). Throughput with one and 16
 * parallel streams, and latency of 64-byte request/response pairs (p50, p99). Not a test: it prints
 * a table and writes it to tests/bench/out/forwarding.md. Run with an unshaped lab
 * (tests/bench/run.sh does), so that the forwarder and not the link is what is measured.
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class ForwardingBench {
  static final int ROUNDS = Integer.getInteger("bench.runs", 3);
  static final int JOB_PORT = 7100;
  static final int HAPROXY_PORT = 19100;
  static final long SECONDS = 5;
  static final int PINGS = 20_000;

  record Path3(String name, String host, int port) { }

  @Test
  void ternGatewayAgainstHaproxyAndTheDirectRoute() throws Exception {
    Path dir = Lab.workDir("fwd");
    String id = Lab.start(dir, "n1", "/usr/bin/python3", Lab.JOBS.resolve("bench_server.py").toString(), Integer.toString(JOB_PORT));
    String vip = Lab.job(id).getString("vip");
    int ternPort = Integer.parseInt(Lab.tern("expose", id, Integer.toString(JOB_PORT)).ok().stdout().trim());
    Path cfg = Files.createTempFile("tern-bench-haproxy", ".cfg");
    Files.writeString(cfg, String.join("\n",
        "global", "  maxconn 4096",
        "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 60s", "  timeout server 60s",
        "frontend bench", "  bind 10.77.0.2:" + HAPROXY_PORT, "  default_backend job",
        "backend job", "  server job " + vip + ":" + JOB_PORT, ""));
    Process haproxy = new ProcessBuilder("nsenter", "--net=/run/netns/tern-gw", "haproxy", "-db", "-f", cfg.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    List<String> route = List.of("10.79.0.0/24", "via", "10.77.0.2", "dev", "tern-out");
    Lab.run(concat(List.of("ip", "route", "replace"), route), null, 10).ok();
    try {
      List<Path3> paths = List.of(new Path3("direct route", vip, JOB_PORT), new Path3("HAProxy " + haproxyVersion(), "10.77.0.2", HAPROXY_PORT),
          new Path3("Tern gateway", "10.77.0.2", ternPort));
      for (Path3 p : paths) waitForService(p);
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      for (Path3 p : paths) results.put(p.name(), new ArrayList<>());
      for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < paths.size(); k++) {
          Path3 p = paths.get((k + round) % paths.size());  // a different order each round: no path always goes first
          double one = throughput(p, 1), sixteen = throughput(p, 16);
          double[] lat = latency(p);
          System.out.printf("bench forwarding round %d %s: 1 stream %.2f Gbit/s, 16 streams %.2f Gbit/s, p50 %.0f us, p99 %.0f us%n",
              round + 1, p.name(), one, sixteen, lat[0], lat[1]);
          results.get(p.name()).add(new double[] {one, sixteen, lat[0], lat[1]});
        }
      }
      write(results, paths);
    } finally {
      Lab.run(concat(List.of("ip", "route", "del"), route), null, 10);
      haproxy.destroy();
      haproxy.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(cfg);
      Lab.tern("kill", id);
    }
  }

  private static void write(Map<String, List<double[]>> results, List<Path3> paths) throws IOException {
    double[] tern = medians(results.get(paths.get(2).name())), haproxy = medians(results.get(paths.get(1).name()));
    StringBuilder t = new StringBuilder();
    t.append("| path | 1 stream | 16 streams | p50 latency | p99 latency |\n| --- | --- | --- | --- | --- |\n");
    for (Path3 p : paths) {
      double[] m = medians(results.get(p.name()));
      t.append(String.format("| %s | %.2f Gbit/s | %.2f Gbit/s | %.0f us | %.0f us |%n", p.name(), m[0], m[1], m[2], m[3]));
    }
    double r1 = tern[0] / haproxy[0], r16 = tern[1] / haproxy[1], r99 = tern[3] / haproxy[3];
    t.append(String.format("| Tern / HAProxy | %.2f (target >= 0.9: %s) | %.2f (target >= 0.9: %s) | %.2f | %.2f (target <= 1.2: %s) |%n",
        r1, r1 >= 0.9 ? "met" : "MISSED", r16, r16 >= 0.9 ? "met" : "MISSED", tern[2] / haproxy[2], r99, r99 <= 1.2 ? "met" : "MISSED"));
    t.append(String.format("%nMedians of %d rounds; each round measures every path (1 stream and 16 streams for %d s each, "
        + "then %d sequential 64-byte request/response pairs), in a rotating order.%n", ROUNDS, SECONDS, PINGS));
    System.out.println(t);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("forwarding.md"), t.toString());
  }

  /** Gbit/s received from the job over N connections, after a half-second warm-up. */
  static double throughput(Path3 p, int streams) throws Exception {
    AtomicLongArray received = new AtomicLongArray(streams);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      Socket s = connect(p);
      s.getOutputStream().write('D');
      sockets.add(s);
      int slot = i;
      Thread t = new Thread(() -> {
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = s.getInputStream()) {
          for (int n; !stop.get() && (n = in.read(buf)) > 0; ) received.addAndGet(slot, n);
        } catch (IOException e) {
          if (!stop.get()) throw new IllegalStateException(p.name() + ": stream " + slot + " broke: " + e.getMessage(), e);
        }
      });
      t.start();
      readers.add(t);
    }
    Thread.sleep(500);
    long before = sum(received), t0 = System.nanoTime();
    Thread.sleep(SECONDS * 1000);
    long bytes = sum(received) - before;
    double secs = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Socket s : sockets) s.close();
    for (Thread t : readers) t.join(10_000);
    return bytes * 8 / secs / 1e9;
  }

  /** p50 and p99, in microseconds, of sequential 64-byte request/response pairs on one connection. */
  static double[] latency(Path3 p) throws Exception {
    try (Socket s = connect(p)) {
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write('E');
      byte[] req = new byte[64], resp = new byte[64];
      long[] rtt = new long[PINGS];
      for (int i = -2_000; i < PINGS; i++) {
        req[0] = (byte) i;
        long t0 = System.nanoTime();
        out.write(req);
        in.readFully(resp);
        long t1 = System.nanoTime();
        if (resp[0] != req[0]) throw new AssertionError(p.name() + ": echo out of step");
        if (i >= 0) rtt[i] = t1 - t0;
      }
      Arrays.sort(rtt);
      return new double[] {rtt[PINGS / 2] / 1e3, rtt[(int) (PINGS * 0.99)] / 1e3};
    }
  }

  static Socket connect(Path3 p) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(p.host(), p.port()), 5_000);
    return s;
  }

  static void waitForService(Path3 p) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try (Socket s = connect(p)) {
        s.getOutputStream().write('E');
        s.getOutputStream().write(7);
        if (s.getInputStream().read() == 7) return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) throw new AssertionError(p.name() + " does not answer: " + e.getMessage());
      }
      Thread.sleep(200);
    }
  }

  static String haproxyVersion() {
    String v = Lab.run(List.of("haproxy", "-v"), null, 10).ok().stdout();
    return v.split("\\s+").length > 2 ? v.split("\\s+")[2] : "";
  }

  static double[] medians(List<double[]> rows) {
    double[] m = new double[rows.get(0).length];
    for (int c = 0; c < m.length; c++) {
      double[] col = new double[rows.size()];
      for (int r = 0; r < rows.size(); r++) col[r] = rows.get(r)[c];
      Arrays.sort(col);
      m[c] = col[col.length / 2];
    }
    return m;
  }

  static long sum(AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) s += a.get(i);
    return s;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
