package tern.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tern.e2e.Appliance;
import tern.e2e.Lab;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance's figures (issue 11): the images' sizes, the time from switching the VMs on to the
 * nodes being listed, the gateway's resident memory at idle and a node's migrator's with no job and
 * with 20, in VMs booted from the images (`tern vm`, emulated). Each time is printed beside the same
 * machine's own time from its kernel's start to its login prompt in the same boot (its console's clock:
 * systemd does not print reaching multi-user there, the getty's prompt comes with it), since
 * emulation here is slow and noisy; each memory figure beside the target of 128 MB. Not a test:
 * prints a table and writes tests/bench/out/appliance.md.
 */
@Tag("bench")
class ApplianceBench {
  static final String POOR_MAC = "52:54:00:7e:01:01";
  static final String RICH_MAC = "52:54:00:7e:01:02";
  static final int BOOT_S = 900;
  static final int JOBS = 20;
  /** Time for samples, the JIT and the collector to settle after a change. */
  static final long SETTLE_MS = 60_000;
  static final double MIB = 1024.0 * 1024;
  static final long TARGET_BYTES = 128_000_000L;
  /** What the serial getty prints once the machine is up (tern-gateway login:, tern-node login:). */
  static final String LOGIN_PROMPT = " login:";
  /** A console line's uptime stamp, as the kernel prints it. */
  static final Pattern STAMP = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

  @Test
  void theAppliancesSizesBootAndMemory() throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("| image | size | allocated |\n| --- | --- | --- |\n");
    out.append(size("gateway disk image", Appliance.IMAGE));
    out.append(size("node root (NFS export)", Appliance.OUT.resolve("node-root")));
    out.append(size("nodes' kernel and initrd (TFTP)", Appliance.OUT.resolve("tftp")));

    Appliance.vm(120, "down", "--wipe");
    List<String> jobs = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      Appliance.vm(BOOT_S, "up", "--nodes", "2", "--node-cpu", "SandyBridge,Haswell-noTSX").ok();
      long api = seconds(t0);
      Appliance.waitUntil(() -> "pending".equals(Appliance.state("mac", POOR_MAC)) && "pending".equals(Appliance.state("mac", RICH_MAC)), BOOT_S,
          () -> "the node VMs never asked to join: " + Appliance.nodes().encode());
      long listed = seconds(t0);
      Appliance.tern("nodes", "accept", POOR_MAC, "--name", "poor").ok();
      Appliance.tern("nodes", "accept", RICH_MAC, "--name", "rich").ok();
      Appliance.waitUntil(() -> "up".equals(Appliance.state("name", "poor")) && "up".equals(Appliance.state("name", "rich")), BOOT_S,
          () -> "accepted nodes did not come up: " + Appliance.nodes().encode());
      long up = seconds(t0);

      out.append("\n| from switching on (wall clock) | seconds | the machine's own boot, kernel to login prompt (its console) | ratio |\n"
          + "| --- | --- | --- | --- |\n");
      String gw = Appliance.console("gateway");
      out.append(row("gateway: API answers", api, uptimeAt(gw, LOGIN_PROMPT)));
      for (String n : List.of("node1", "node2")) {
        String console = Appliance.console(n);
        out.append(row(n + ": listed (pending) by `tern nodes`", listed, uptimeAt(console, LOGIN_PROMPT)));
        out.append(String.format("| %s: its own clock from boot to asking the admin | %.0f | | |%n", n,
            uptimeAt(console, "waiting for the admin to accept").orElse(Double.NaN)));
      }
      out.append(String.format("| both nodes up once accepted | %d | | |%n", up));

      Thread.sleep(SETTLE_MS);
      out.append("\n| process | jobs on its node | resident | target | ratio |\n| --- | --- | --- | --- | --- |\n");
      out.append(memory("gateway (idle)", "-", gatewayRss(), 0));
      out.append(memory("migrator poor", "0", migratorRss("poor"), TARGET_BYTES));
      out.append(memory("migrator rich", "0", migratorRss("rich"), TARGET_BYTES));
      for (int i = 0; i < JOBS; i++) jobs.add(Appliance.start("poor", "sleep", "3600"));
      Appliance.waitUntil(() -> jobs.stream().allMatch(id -> "running".equals(Appliance.job(id).getString("state"))), 1200,
          () -> "the " + JOBS + " jobs did not all start");
      Thread.sleep(SETTLE_MS);
      // the node's own count: the balancer may have moved some of them since
      out.append(memory("migrator poor", jobsOn("poor") + " (" + JOBS + " started there)", migratorRss("poor"), TARGET_BYTES));
      out.append(memory("migrator rich", Integer.toString(jobsOn("rich")), migratorRss("rich"), TARGET_BYTES));
      out.append(memory("gateway", Integer.toString(JOBS) + " in the cluster", gatewayRss(), 0));
    } finally {
      for (String id : jobs) Appliance.tern("kill", id);
      Appliance.vm(120, "down");
    }
    String table = out.toString();
    System.out.println(table);
    Path file = Lab.ROOT.resolve("tests/bench/out/appliance.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, table);
  }

  static long seconds(long t0) { return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0); }

  static String size(String what, Path path) {
    String apparent = Lab.run(List.of("du", "-sh", "--apparent-size", path.toString()), null, 300).ok().stdout().split("\\s+")[0];
    String allocated = Lab.run(List.of("du", "-sh", path.toString()), null, 300).ok().stdout().split("\\s+")[0];
    return "| " + what + " | " + apparent + " | " + allocated + " |\n";
  }

  static String row(String what, long seconds, OptionalDouble reference) {
    double ref = reference.orElse(Double.NaN);
    return String.format("| %s | %d | %.0f | %.2f |%n", what, seconds, ref, seconds / ref);
  }

  static String memory(String process, String jobs, long bytes, long target) {
    return String.format("| %s | %s | %.1f MiB | %s | %s |%n", process, jobs, bytes / MIB,
        target == 0 ? "" : String.format("%.1f MiB", target / MIB), target == 0 ? "" : String.format("%.2f", (double) bytes / target));
  }

  /** The uptime stamp of the last stamped console line at or before the first line that contains the text. */
  static OptionalDouble uptimeAt(String console, String text) {
    double last = Double.NaN;
    for (String line : console.split("\n")) {
      Matcher m = STAMP.matcher(line);
      if (m.find()) last = Double.parseDouble(m.group(1));
      if (line.contains(text)) return Double.isNaN(last) ? OptionalDouble.empty() : OptionalDouble.of(last);
    }
    return OptionalDouble.empty();
  }

  static int jobsOn(String node) { return listed(node).getInteger("jobs", 0); }

  static long migratorRss(String node) { return listed(node).getLong("migratorRssBytes", 0L); }

  private static JsonObject listed(String node) {
    return Appliance.node("name", node).orElseThrow(() -> new AssertionError(node + " is not listed"));
  }

  /** The gateway's own figure, from its Prometheus metrics. */
  static long gatewayRss() throws IOException {
    String token = Files.readString(Appliance.VM.resolve("admin-token")).trim();
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:17070/metrics").toURL().openConnection();
    c.setRequestProperty("Authorization", "Bearer " + token);
    String text = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^process_resident_memory_bytes\\s+([0-9.eE+]+)").matcher(text);
    if (!m.find()) throw new AssertionError("no process_resident_memory_bytes in the gateway's metrics");
    return (long) Double.parseDouble(m.group(1));
  }
}
