package tern.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelsTest {
  @Test
  void costModelStartsFromTheLinkRateAndLearnsFixedPartAndEfficiency() {
    MigrationCostModel m = new MigrationCostModel();
    assertEquals(0.3 + 8.0, m.freezeSeconds(100_000_000, 12_500_000), 1e-9);
    // migrations that took 0.2 s + 1.5 x (bytes / link): a slower path than the raw link
    for (long mb : new long[] {10, 20, 40, 80}) m.observe(new MigrationCostModel.Sample(mb * 1_000_000, 12_500_000, 0.2 + 1.5 * mb * 0.08));
    assertEquals(0.2, m.fixedSeconds(), 1e-9);
    assertEquals(1.5, m.slope(), 1e-9);
    assertEquals(0.2 + 1.5 * 8.0, m.freezeSeconds(100_000_000, 12_500_000), 1e-9);
  }

  @Test
  void costModelWithMigrationsOfAboutOneSizeKeepsTheDefaultFixedPartAndLearnsTheSlope() {
    MigrationCostModel m = new MigrationCostModel();
    // 9, 9.1, 8.9 MB over 100 Mbit/s (0.72 s at the raw rate) frozen about 0.27 s: compression
    m.observe(new MigrationCostModel.Sample(9_000_000, 12_500_000, 0.27));
    m.observe(new MigrationCostModel.Sample(9_100_000, 12_500_000, 0.30));
    m.observe(new MigrationCostModel.Sample(8_900_000, 12_500_000, 0.24));
    assertEquals(0.27, m.fixedSeconds(), 1e-9);   // all quicker than the default 0.3 s
    assertEquals(0.1, m.slope(), 1e-9);           // the floor: nothing left for the slope to explain
    for (int i = 0; i < 3; i++) m.observe(new MigrationCostModel.Sample(12_500_000, 12_500_000, 1.5));
    // now 6 samples, x = 0.72/0.728/0.712 and 1.0: spread still under 25%, so fixed 0.3 and slope above it
    double meanX = (0.72 + 0.728 + 0.712 + 3.0) / 6, meanY = (0.27 + 0.30 + 0.24 + 4.5) / 6;
    assertEquals(0.3, m.fixedSeconds(), 1e-9);
    assertEquals((meanY - 0.3) / meanX, m.slope(), 1e-9);
  }

  @Test
  void lifetimeFollowsTheHeavyTailUntilAProgramHasAHistory() {
    LifetimeModel l = new LifetimeModel();
    assertEquals(7.0, l.remainingSeconds("povray", 7.0), 1e-9);
    assertEquals(0.0, l.expectedLifetime("ls"), 1e-9);
    for (double t : new double[] {600, 700, 800}) l.ended("povray", t);
    for (double t : new double[] {0.01, 0.02, 0.01, 0.03}) l.ended("ls", t);
    assertEquals(695.0, l.remainingSeconds("povray", 5), 1e-9);   // median of 595, 695, 795
    assertEquals(700.0, l.expectedLifetime("povray"), 1e-9);
    assertEquals(0.02, l.expectedLifetime("ls"), 1e-9);            // median of 0.01 0.01 0.02 0.03 (upper)
    // an ls that has run 2 s is an unusual one: none of its kind lived that long, so the general law
    assertEquals(2.0, l.remainingSeconds("ls", 2.0), 1e-9);
  }

  @Test
  void howLongAJobGoesOnRunningWithAGivenProbability() {
    LifetimeModel l = new LifetimeModel();
    // the general law: x more with probability age / (age + x)
    assertEquals(3.0, l.remainingSeconds("povray", 6.0, 2.0 / 3), 1e-9);
    assertEquals(6.0, l.remainingSeconds("povray", 6.0, 0.5), 1e-9);
    assertEquals(18.0, l.remainingSeconds("povray", 6.0, 0.25), 1e-9);
    // from the history: of 595, 695 and 795 s left at 5 s, two thirds ran 695 s more, all of them 595 s
    for (double t : new double[] {600, 700, 800}) l.ended("povray", t);
    assertEquals(695.0, l.remainingSeconds("povray", 5, 2.0 / 3), 1e-9);
    assertEquals(595.0, l.remainingSeconds("povray", 5, 0.9), 1e-9);
    assertEquals(795.0, l.remainingSeconds("povray", 5, 0.2), 1e-9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.remainingSeconds("povray", 5, 1.0));
    assertEquals("probability 1.0 is not between 0 and 1", e.getMessage());
    // a known run time has no spread (the simulator's oracle)
    Lifetimes known = (program, age) -> 42.0;
    assertEquals(42.0, known.remainingSeconds("x", 1, 2.0 / 3), 1e-9);
  }

  @Test
  void aJobsProgramIsItsCommandOrTheScriptItsInterpreterRuns() {
    assertEquals("cc", Programs.nameOf(java.util.List.of("cc", "-c", "x.c")));
    assertEquals("povray", Programs.nameOf(java.util.List.of("/usr/bin/povray", "scene.pov")));
    assertEquals("python3 memhog.py", Programs.nameOf(java.util.List.of("/usr/bin/python3", "-u", "/var/tmp/jobs/memhog.py", "16")));
    assertEquals("sh -c", Programs.nameOf(java.util.List.of("sh", "-c", "exit 7")));
    assertEquals("python3", Programs.nameOf(java.util.List.of("python3")));
  }
}
