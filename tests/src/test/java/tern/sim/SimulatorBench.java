package tern.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The balancer's policy in a simulated cluster: mean slowdown and mean delay of placement only,
 * placement plus Tern's preemptive migration, and an oracle that knows every job's run time, on
 * heavy-tailed traces at loads from 0.5 to 0.9. Targets (issue 8): at every load Tern's moves do not
 * raise the mean slowdown above placement only, and cut the mean delay at least 0.9 times as much as
 * the oracle's. (Issue 4 asked for half the delay of placement only; the pooled bound shows where no
 * balancer can reach that.) Not a test: prints a table and writes tests/bench/out/simulator.md.
 */
@Tag("bench")
class SimulatorBench {
  static final int HOSTS = Integer.getInteger("sim.hosts", 6);
  static final int JOBS = Integer.getInteger("sim.jobs", 10_000);
  static final int SEEDS = Integer.getInteger("sim.seeds", 2);
  static final int FIRST_SEED = Integer.getInteger("sim.firstSeed", 1);
  static final double MIN_S = Double.parseDouble(System.getProperty("sim.min", "0.5"));
  static final double MAX_S = Double.parseDouble(System.getProperty("sim.max", "2000"));
  static final double ORACLE_SHARE_TARGET = 0.9;
  /** Rows of the results, in the order of ClusterSimulator.Strategy; the pooled bound comes last. */
  static final int P = 0, T = 1, O = 2, L = 3, LT = 4, B = 5;

  static String cell(double slowdown, double delay) { return String.format("%.2f / %.2f s", slowdown, delay); }

  @Test
  void preemptiveMigrationAgainstPlacementOnlyAndTheOracle() throws Exception {
    ClusterSimulator sim = new ClusterSimulator(HOSTS, 0.5, 12_500_000);
    StringBuilder t = new StringBuilder();
    t.append(String.format("%d hosts, %d jobs per trace, %d traces per load; run times bounded Pareto (shape 1, %s s to %s s); "
        + "memory 2-64 MiB; migration 0.5 s + memory / 100 Mbit/s%n%n", HOSTS, JOBS, SEEDS, MIN_S, MAX_S));
    t.append("| load | placement only | Tern | oracle | pooled bound | delay cut: Tern | oracle | bound "
        + "| Tern's cut / oracle's (target >= 0.9) | slowdown, Tern - placement only (target <= 0) "
        + "| born local | born local + Tern | cut | moves: Tern | oracle |\n");
    t.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    ClusterSimulator.Strategy[] all = ClusterSimulator.Strategy.values();
    int met = 0, loads = 0;
    for (double load : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
      double[] slow = new double[all.length + 1], delay = new double[all.length + 1];
      int[] moves = new int[all.length];
      double offered = 0;
      for (int seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
        Trace trace = Trace.pareto(seed * 1000L + Math.round(load * 10), HOSTS, load, JOBS, MIN_S, MAX_S);
        offered += trace.offeredLoad(HOSTS) / SEEDS;
        for (int s = 0; s <= all.length; s++) {
          ClusterSimulator.Result r = s < all.length ? sim.run(trace, all[s]) : sim.pooled(trace);
          slow[s] += r.meanSlowdown() / SEEDS;
          delay[s] += r.meanDelay() / SEEDS;
          if (s < all.length) moves[s] += r.migrations();
        }
      }
      double ofOracle = (delay[P] - delay[T]) / (delay[P] - delay[O]);
      double rise = slow[T] - slow[P];
      boolean ok = ofOracle >= ORACLE_SHARE_TARGET && rise <= 0;
      loads++;
      if (ok) met++;
      String row = String.format("| %.1f (%.2f) | %s | %s | %s | %s | %.0f%% | %.0f%% | %.0f%% "
          + "| %.2f (%s) | %+.3f (%s) | %s | %s | %.0f%% | %d | %d |%n",
          load, offered, cell(slow[P], delay[P]), cell(slow[T], delay[T]), cell(slow[O], delay[O]), cell(slow[B], delay[B]),
          cut(delay[P], delay[T]), cut(delay[P], delay[O]), cut(delay[P], delay[B]),
          ofOracle, ofOracle >= ORACLE_SHARE_TARGET ? "met" : "MISSED", rise, rise <= 0 ? "met" : "MISSED",
          cell(slow[L], delay[L]), cell(slow[LT], delay[LT]), cut(delay[L], delay[LT]), moves[T] / SEEDS, moves[O] / SEEDS);
      System.out.print("sim " + row);
      t.append(row);
    }
    t.append(String.format("%nBoth targets met at %d of %d loads.%n", met, loads));
    t.append("Each cell: mean slowdown / mean delay (seconds lost to sharing and freezes per job). Load: asked for (offered by the traces). "
        + "Cuts are of the mean delay; moves are per trace.\n");
    System.out.println(t);
    Path out = Path.of(System.getProperty("tern.root", "..")).resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("simulator.md"), t.toString());
  }

  /** How much less delay than the baseline, in percent. */
  private static double cut(double baseline, double delay) { return (1 - delay / baseline) * 100; }
}
