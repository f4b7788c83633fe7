package tern.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tern.e2e.KillStartedJobs;
import tern.e2e.Lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resident memory of the gateway and of one migrator (n1) at idle, with 50 and with 150 idle jobs
 * (`sleep 600` as nobody, spread evenly over the three nodes, the balancer off as the tests' lab
 * has it), and what each part of the JVM takes, beside the targets of issue 8: a migrator at most
 * 128 MB with 50 jobs, the gateway at most 256 MB with 150. The lab's JVMs must run with Native
 * Memory Tracking (tests/bench/run.sh memory asks for it); its own cost is shown and counted in
 * VmRSS, so the comparison with the targets is the stricter one. Not a test: prints a table and
 * writes tests/bench/out/memory.md.
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class MemoryBench {
  static final List<String> NODES = List.of("n1", "n2", "n3");
  /** Time for the cluster to settle after a change: samplers, the balancer's loop, GC. */
  static final long SETTLE_MS = 15_000;
  static final double MIB = 1024;
  /** The targets are in MB (10^6 bytes); KiB as /proc counts. */
  static final long MIGRATOR_TARGET_KIB = 128_000_000L / 1024, GATEWAY_TARGET_KIB = 256_000_000L / 1024;

  @Test
  void residentMemoryOfTheGatewayAndAMigrator() throws Exception {
    JsonObject lab = Lab.status();
    long gateway = lab.getJsonObject("gateway").getLong("pid");
    long migrator = lab.getJsonArray("nodes").getJsonObject(0).getLong("pid");
    StringBuilder table = new StringBuilder("""
        | process | jobs (on it) | VmRSS | target | anon | file | threads | heap committed (used) | metaspace+class | symbols \
        | CDS archive | code | thread stacks | GC | direct/other | rest | NMT itself |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        """);
    StringBuilder owners = new StringBuilder(String.format("""

        Idle, by library (live heap KiB after a full collection / classes loaded / threads):

        | process | %s |
        | --- | --- | --- | --- | --- |
        """, String.join(" | ", MemoryOwners.OWNERS)));
    List<String> jobs = new ArrayList<>();
    try {
      Path dir = Lab.workDir("memory");
      for (int total : List.of(0, 50, 150)) {
        while (jobs.size() < total) jobs.add(Lab.start(dir, NODES.get(jobs.size() % NODES.size()), "/bin/sleep", "600"));
        Thread.sleep(SETTLE_MS);
        int onN1 = (total + NODES.size() - 1) / NODES.size();
        table.append(row("gateway", total + " (-)", MemoryFootprint.of(gateway), total == 150 ? GATEWAY_TARGET_KIB : 0));
        table.append(row("migrator n1", total + " (" + onN1 + ")", MemoryFootprint.of(migrator), total == 50 ? MIGRATOR_TARGET_KIB : 0));
        if (total == 0) {
          owners.append(ownersRow("gateway", MemoryOwners.of(gateway)));
          owners.append(ownersRow("migrator n1", MemoryOwners.of(migrator)));
        }
      }
    } finally {
      List<String> failed = new ArrayList<>();
      for (String id : jobs) if (Lab.tern("kill", id).exit() != 0) failed.add(id);
      if (!failed.isEmpty()) System.out.println("bench memory: could not kill " + failed);
    }
    table.append("""

        MiB (2^20 bytes). Targets in MB (10^6 bytes): 128 MB = 122.1 MiB, 256 MB = 244.1 MiB. Parts are what the
        JVM committed (Native Memory Tracking); VmRSS = anon + file, file being mapped code and the JDK's class archive.
        """);
    table.append(owners).append("""

        A library's objects in the JDK's own types (byte arrays, strings, hash maps) count as the JDK's: the
        libraries' heap figures are lower bounds. A class's metadata lives in metaspace or in the class archive.
        """);
    System.out.println(table);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("memory.md"), table.toString());
  }

  static String ownersRow(String process, MemoryOwners o) {
    StringBuilder row = new StringBuilder("| " + process + " |");
    for (String owner : MemoryOwners.OWNERS) {
      row.append(String.format(" %d / %d / %d |", o.heapBytes().get(owner) / 1024, o.classes().get(owner), o.threads().get(owner)));
    }
    return row.append('\n').toString();
  }

  static String row(String process, String jobs, MemoryFootprint m, long targetKib) {
    String target = targetKib == 0 ? "" : String.format("<= %.1f: %s", targetKib / MIB, m.rss() <= targetKib ? "met" : "MISSED");
    return String.format("| %s | %s | %.1f | %s | %.1f | %.1f | %d | %.1f (%.1f) | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
        process, jobs, m.rss() / MIB, target, m.anon() / MIB, m.file() / MIB, m.threads(), m.heap() / MIB, m.heapUsed() / MIB,
        m.classes() / MIB, m.symbols() / MIB, m.sharedClasses() / MIB, m.code() / MIB, m.threadStacks() / MIB, m.gc() / MIB,
        m.direct() / MIB, m.rest() / MIB, m.tracking() / MIB);
  }
}
