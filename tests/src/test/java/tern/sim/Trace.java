package tern.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A workload: jobs arriving, each with the CPU time it needs (its run time alone on a CPU) and its memory. */
record Trace(List<Job> jobs) {
  record Job(int id, double arrival, double cpuSeconds, long memoryBytes) { }

  /**
   * Poisson arrivals of jobs with heavy-tailed run times: a bounded Pareto of shape 1, as Harchol-Balter
   * and Downey measured (a process that has run t seconds runs t more with probability 1/2), from
   * {@code min} to {@code max} seconds; memory log-uniform from 2 to 64 MiB. The arrival rate makes
   * the cluster's offered load {@code load} (1 = every CPU busy).
   */
  static Trace pareto(long seed, int hosts, double load, int count, double min, double max) {
    Random r = new Random(seed);
    double mean = min * max / (max - min) * Math.log(max / min);
    double rate = load * hosts / mean;
    List<Job> jobs = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < count; i++) {
      t += -Math.log(1 - r.nextDouble()) / rate;
      double u = r.nextDouble();
      double cpu = min / (1 - u * (1 - min / max));
      long mem = (long) ((2L << 20) * Math.pow(32, r.nextDouble()));
      jobs.add(new Job(i, t, cpu, mem));
    }
    return new Trace(jobs);
  }

  /** A trace from a file: one job per line, "arrival_seconds cpu_seconds memory_bytes". */
  static Trace read(Path file) throws IOException {
    List<Job> jobs = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3 || line.startsWith("#")) continue;
      jobs.add(new Job(jobs.size(), Double.parseDouble(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2])));
    }
    return new Trace(jobs);
  }

  double offeredLoad(int hosts) {
    double work = jobs.stream().mapToDouble(Job::cpuSeconds).sum();
    return work / (jobs.get(jobs.size() - 1).arrival() * hosts);
  }
}
