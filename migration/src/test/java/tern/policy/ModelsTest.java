package tern.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void costModelWithMigrationsOfOneSizeLearnsOnlyTheFixedPart() {
    MigrationCostModel m = new MigrationCostModel();
    for (int i = 0; i < 3; i++) m.observe(new MigrationCostModel.Sample(12_500_000, 12_500_000, 1.5));
    assertEquals(1.0, m.slope(), 1e-9);
    assertEquals(0.5, m.fixedSeconds(), 1e-9);
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
  void aJobsProgramIsItsCommandOrTheScriptItsInterpreterRuns() {
    assertEquals("cc", Programs.nameOf(java.util.List.of("cc", "-c", "x.c")));
    assertEquals("povray", Programs.nameOf(java.util.List.of("/usr/bin/povray", "scene.pov")));
    assertEquals("python3 memhog.py", Programs.nameOf(java.util.List.of("/usr/bin/python3", "-u", "/var/tmp/jobs/memhog.py", "16")));
    assertEquals("sh -c", Programs.nameOf(java.util.List.of("sh", "-c", "exit 7")));
    assertEquals("python3", Programs.nameOf(java.util.List.of("python3")));
  }
}
