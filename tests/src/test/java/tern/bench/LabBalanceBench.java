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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A mixed workload of long and short CPU-bound jobs in the lab (three nodes at 0.5 CPU), run once
 * with the balancer off (placement only) and once with it on, on the same arrival schedule. A job's
 * slowdown is its wall time over its time alone on a node (its CPU need / 0.5), the CPU need measured
 * in the same run by running the job alone and uncapped. Not a test: prints a table and writes
 * tests/bench/out/lab-balance.md.
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class LabBalanceBench {
  static final double NODE_CPU = 0.5;
  /** seconds after the start, units of work (long: 4, short: 12) */
  static final double[][] SCHEDULE = {
      {0, 2000}, {0, 2000}, {2, 150}, {2, 150}, {2, 150}, {4, 2000}, {6, 150}, {6, 150}, {6, 150},
      {8, 2000}, {8, 150}, {8, 150}, {12, 150}, {12, 150}, {12, 150}, {12, 150}};

  @Test
  void balancerOffAgainstOn() throws Exception {
    double secondsPerUnit = calibrate();
    double off = run(false, secondsPerUnit), on = run(true, secondsPerUnit);
    String table = String.format("""
        | run | mean slowdown |
        | --- | --- |
        | balancer off (placement only) | %.2f |
        | balancer on | %.2f |
        | on / off | %.2f |

        %d jobs (4 long of 2000 units, 12 short of 150), arrivals over 12 s; one unit = %.3f CPU-seconds here.
        """, off, on, on / off, SCHEDULE.length, secondsPerUnit);
    System.out.println(table);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("lab-balance.md"), table);
  }

  /** CPU-seconds per unit of work: the job alone, uncapped, in the root namespace. */
  static double calibrate() throws Exception {
    Lab.Result r = Lab.run(List.of("/usr/bin/python3", Lab.JOBS.resolve("burn.py").toString(), "100"), null, 300);
    return Double.parseDouble(r.ok().stdout().trim()) / 100;
  }

  static double run(boolean balance, double secondsPerUnit) throws Exception {
    Lab.tern("balance", balance ? "on" : "off").ok();
    Path dir = Lab.workDir("mix");
    List<String> ids = new ArrayList<>();
    long t0 = System.currentTimeMillis();
    for (double[] job : SCHEDULE) {
      long wait = t0 + (long) (job[0] * 1000) - System.currentTimeMillis();
      if (wait > 0) Thread.sleep(wait);
      ids.add(Lab.start(dir, null, "/usr/bin/python3", Lab.JOBS.resolve("burn.py").toString(), Long.toString((long) job[1])));
    }
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(10);
    while (true) {
      Map<String, JsonObject> jobs = Lab.jobs();
      if (ids.stream().allMatch(id -> jobs.get(id).containsKey("exitCode"))) {
        double sum = 0;
        int moves = 0;
        for (int i = 0; i < ids.size(); i++) {
          JsonObject j = jobs.get(ids.get(i));
          double wall = Double.parseDouble(Files.readString(Path.of(j.getString("output"))).trim());
          double alone = SCHEDULE[i][1] * secondsPerUnit / NODE_CPU;
          sum += wall / alone;
          moves += j.getInteger("migrations");
          System.out.printf("bench lab-balance %s %s: %s units on %s, %.1f s (alone %.1f s), %d moves%n", balance ? "on" : "off",
              ids.get(i), (long) SCHEDULE[i][1], j.getString("node"), wall, alone, j.getInteger("migrations"));
        }
        System.out.printf("bench lab-balance %s: mean slowdown %.2f, %d moves%n", balance ? "on" : "off", sum / ids.size(), moves);
        Lab.tern("balance", "off").ok();
        return sum / ids.size();
      }
      if (System.currentTimeMillis() > deadline) throw new AssertionError("the mixed workload did not finish in 10 minutes");
      Thread.sleep(1000);
    }
  }
}
