package tern.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much longer a job will run. UNIX process lifetimes are heavy-tailed (Harchol-Balter and
 * Downey, 1997): a process that has run for t seconds runs for another t with probability about one
 * half, so its median remaining time is its age. Each program's own history sharpens that: from the
 * lifetimes of its past jobs that lived longer than this one has so far, the median of what they had
 * left at this age ("ls" is known to be short, "povray" long).
 */
public final class LifetimeModel implements Lifetimes {
  static final int HISTORY = 100;
  /** Past jobs (older than this one) needed before the program's history outweighs the general law. */
  static final int MIN_HISTORY = 3;

  private final Map<String, Deque<Double>> lifetimes = new HashMap<>();

  /** A job of this program ended after {@code seconds}. */
  public void ended(String executable, double seconds) {
    if (seconds < 0) throw new IllegalArgumentException("negative lifetime " + seconds);
    Deque<Double> h = lifetimes.computeIfAbsent(executable, e -> new ArrayDeque<>());
    h.addLast(seconds);
    while (h.size() > HISTORY) h.removeFirst();
  }

  /** The median remaining run time, in seconds, of a job of this program that has run {@code age} seconds. */
  @Override public double remainingSeconds(String executable, double age) { return remainingSeconds(executable, age, 0.5); }

  /**
   * The time a job of this program that has run {@code age} seconds goes on running with probability p:
   * by the general law (it runs x more with probability age / (age + x)), or, once the program has a
   * history, the time that a share p of its past jobs that outlived this age went on running.
   */
  @Override public double remainingSeconds(String executable, double age, double p) {
    if (p <= 0 || p >= 1) throw new IllegalArgumentException("probability " + p + " is not between 0 and 1");
    List<Double> longer = new ArrayList<>();
    for (double l : lifetimes.getOrDefault(executable, new ArrayDeque<>())) if (l > age) longer.add(l - age);
    if (longer.size() < MIN_HISTORY) return age * (1 - p) / p;
    Collections.sort(longer);
    // the longest time that at least a share p of them went on running (the slack absorbs rounding)
    return longer.get(Math.min(longer.size() - 1, (int) Math.floor((1 - p) * longer.size() + 1e-9)));
  }

  public List<Double> history(String executable) {
    return List.copyOf(lifetimes.getOrDefault(executable, new ArrayDeque<>()));
  }

  public Map<String, List<Double>> all() {
    Map<String, List<Double>> copy = new HashMap<>();
    lifetimes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }
}
