package tern.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The balancer's policy in a simulated cluster: mean slowdown and mean delay of placement only,
 * placement plus Tern's preemptive migration, and an oracle that knows every job's run time, on
 * heavy-tailed traces at loads from 0.5 to 0.9. Target (issue 4): Tern cuts the mean delay of
 * placement only by at least half at every load. Not a test: prints a table and writes
 * tests/bench/out/simulator.md.
 */
@Tag("bench")
class SimulatorBench {
  static final int HOSTS = Integer.getInteger("sim.hosts", 6);
  static final int JOBS = Integer.getInteger("sim.jobs", 10_000);
  static final int SEEDS = Integer.getInteger("sim.seeds", 2);
  static final double MIN_S = Double.parseDouble(System.getProperty("sim.min", "0.5"));
  static final double MAX_S = Double.parseDouble(System.getProperty("sim.max", "2000"));

  static String cell(double slowdown, double delay) { return String.format("%.2f / %.2f s", slowdown, delay); }

  @Test
  void preemptiveMigrationAgainstPlacementOnlyAndTheOracle() throws Exception {
    ClusterSimulator sim = new ClusterSimulator(HOSTS, 0.5, 12_500_000);
    StringBuilder t = new StringBuilder();
    t.append(String.format("%d hosts, %d jobs per trace, %d traces per load; run times bounded Pareto (shape 1, %s s to %s s); "
        + "memory 2-64 MiB; migration 0.5 s + memory / 100 Mbit/s%n%n", HOSTS, JOBS, SEEDS, MIN_S, MAX_S));
    t.append("| load | placement only | Tern | oracle | pooled bound | delay cut: Tern | oracle | bound | target (Tern >= 50%) "
        + "| born local | born local + Tern | cut | Tern moves |\n");
    t.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    ClusterSimulator.Strategy[] all = ClusterSimulator.Strategy.values();
    for (double load : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
      double[] slow = new double[all.length + 1], delay = new double[all.length + 1];
      int moves = 0;
      double offered = 0;
      for (int seed = 1; seed <= SEEDS; seed++) {
        Trace trace = Trace.pareto(seed * 1000L + Math.round(load * 10), HOSTS, load, JOBS, MIN_S, MAX_S);
        offered += trace.offeredLoad(HOSTS) / SEEDS;
        for (int s = 0; s <= all.length; s++) {
          ClusterSimulator.Result r = s < all.length ? sim.run(trace, all[s]) : sim.pooled(trace);
          slow[s] += r.meanSlowdown() / SEEDS;
          delay[s] += r.meanDelay() / SEEDS;
          if (s < all.length && all[s] == ClusterSimulator.Strategy.TERN) moves += r.migrations();
        }
      }
      int P = 0, T = 1, O = 2, L = 3, LT = 4, B = 5;
      double cut = 1 - delay[T] / delay[P];
      String row = String.format("| %.1f (%.2f) | %s | %s | %s | %s | %.0f%% | %.0f%% | %.0f%% | %s | %s | %s | %.0f%% | %d |%n",
          load, offered, cell(slow[P], delay[P]), cell(slow[T], delay[T]), cell(slow[O], delay[O]), cell(slow[B], delay[B]),
          cut * 100, (1 - delay[O] / delay[P]) * 100, (1 - delay[B] / delay[P]) * 100, cut >= 0.5 ? "met" : "MISSED",
          cell(slow[L], delay[L]), cell(slow[LT], delay[LT]), (1 - delay[LT] / delay[L]) * 100, moves / SEEDS);
      System.out.print("sim " + row);
      t.append(row);
    }
    t.append("\nEach cell: mean slowdown / mean delay (seconds lost to sharing and freezes per job). Load: asked for (offered by the traces).\n");
    System.out.println(t);
    Path out = Path.of(System.getProperty("tern.root", "..")).resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("simulator.md"), t.toString());
  }
}
