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
import java.util.Collections;
import java.util.List;

/**
 * Freeze time of a migration (job stopped on the donor until running on the acceptor) for jobs with
 * 16, 64 and 256 MiB of dirtied anonymous memory, random and text-like, on the lab's 100mbit link,
 * five runs each, against the physical limit of that link (dirty anonymous bytes / link rate).
 * Not a test: it prints a table (and writes it to tests/bench/out/freeze.md).
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class FreezeTimeBench {
  static final long LINK_BPS = 100_000_000L;
  static final int RUNS = Integer.getInteger("bench.runs", 5);

  @Test
  void freezeTimeAgainstThePhysicalLimit() throws Exception {
    StringBuilder table = new StringBuilder();
    table.append("| memory | content | runs | median freeze | physical limit | ratio | target | median bytes sent | image bytes |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (String kind : List.of("random", "text")) {
      for (int mib : List.of(16, 64, 256)) {
        Path dir = Lab.workDir("bench");
        Path ready = dir.resolve("ready");
        String id = Lab.start(dir, "n1", "/usr/bin/python3", Lab.JOBS.resolve("memhog.py").toString(),
            Integer.toString(mib), kind, ready.toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(ready) && System.currentTimeMillis() < deadline) Thread.sleep(100);
        Thread.sleep(1500);
        List<Long> freeze = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        long anon = 0;
        long image = 0;
        for (int run = 0; run < RUNS; run++) {
          JsonObject rec = Lab.migrate(id, run % 2 == 0 ? "n2" : "n1");
          if (!"committed".equals(rec.getString("state"))) throw new AssertionError(rec.encode());
          freeze.add(rec.getLong("freezeMs"));
          sent.add(rec.getLong("bytesMoved"));
          anon = rec.getLong("anonBytes");
          image = rec.getLong("imageBytes");
          System.out.printf("bench %s %d MiB run %d: freeze %d ms, sent %d bytes, anon %d bytes%n", kind, mib, run + 1,
              rec.getLong("freezeMs"), rec.getLong("bytesMoved"), anon);
        }
        Lab.tern("kill", id);
        long median = median(freeze);
        double physicalMs = anon * 8.0 * 1000 / LINK_BPS;
        String target = kind.equals("random")
            ? String.format("<= %.0f ms (1.3x + 150): %s", 1.3 * physicalMs + 150, median <= 1.3 * physicalMs + 150 ? "met" : "MISSED")
            : String.format("< %.0f ms: %s", physicalMs, median < physicalMs ? "met" : "MISSED");
        table.append(String.format("| %d MiB | %s | %d | %d ms | %.0f ms | %.2f | %s | %.1f MiB | %.1f MiB |%n", mib, kind, RUNS, median,
            physicalMs, median / physicalMs, target, median(sent) / 1048576.0, image / 1048576.0));
      }
    }
    System.out.println(table);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("freeze.md"), table.toString());
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
