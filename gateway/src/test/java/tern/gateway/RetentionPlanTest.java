package tern.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionPlanTest {
  private static final long NOW = 1_000_000_000L;
  /** Kept 10 s, at most 3 ended jobs, 1000 bytes of output. */
  private static final RetentionLimits LIMITS = new RetentionLimits(10_000, 1000, 3);

  private static RetentionPlan.Ended ended(String id, long secondsAgo, long bytes) {
    return new RetentionPlan.Ended(id, NOW - secondsAgo * 1000, bytes);
  }

  private static List<String> removed(List<RetentionPlan.Ended> ended, long runningBytes, RetentionLimits limits) {
    return RetentionPlan.of(ended, runningBytes, NOW, limits).stream().map(r -> r.job().id() + ":" + r.reason()).toList();
  }

  @Test
  void noEndedJobsRemovesNothingEvenWhenRunningJobsExceedTheBudget() {
    assertEquals(List.of(), removed(List.of(), 0, LIMITS));
    assertEquals(List.of(), removed(List.of(), 5000, LIMITS));
  }

  @Test
  void anEndedJobGoesOnceItIsOlderThanTheTimeKeptAndNotWhenExactlyAtIt() {
    assertEquals(List.of("j1:AGE"), removed(List.of(ended("j1", 11, 0), ended("j2", 10, 0), ended("j3", 9, 0)), 0, LIMITS));
    assertEquals(List.of(), removed(List.of(new RetentionPlan.Ended("j2", NOW - 10_000, 0)), 0, LIMITS));
    assertEquals(List.of("j2:AGE"), removed(List.of(new RetentionPlan.Ended("j2", NOW - 10_001, 0)), 0, LIMITS));
  }

  @Test
  void outputOverTheBudgetRemovesTheOldestEndedJobsUntilItFitsCountingTheRunningJobs() {
    // 300 running + 400 + 400 + 400 = 1500: j1 and j2 go (oldest first), leaving exactly 700 <= 1000
    List<RetentionPlan.Ended> ended = List.of(ended("j3", 1, 400), ended("j1", 3, 400), ended("j2", 2, 400));
    assertEquals(List.of("j1:SIZE", "j2:SIZE"), removed(ended, 300, LIMITS));
    // exactly at the budget: nothing goes
    assertEquals(List.of(), removed(List.of(ended("j1", 2, 500), ended("j2", 1, 200)), 300, LIMITS));
    assertEquals(List.of("j1:SIZE"), removed(List.of(ended("j1", 2, 500), ended("j2", 1, 201)), 300, LIMITS));
  }

  @Test
  void runningJobsWhoseOutputAloneExceedsTheBudgetLeaveNoEndedOutputButAreNeverTouched() {
    List<String> r = removed(List.of(ended("j1", 2, 0), ended("j2", 1, 10)), 2000, LIMITS);
    assertEquals(List.of("j1:SIZE", "j2:SIZE"), r, "every ended job goes; the plan has no way to name a running one");
  }

  @Test
  void moreEndedJobsThanKeptRemovesTheOldestFirst() {
    List<RetentionPlan.Ended> ended = List.of(ended("j5", 1, 0), ended("j4", 2, 0), ended("j3", 3, 0), ended("j2", 4, 0), ended("j1", 5, 0));
    assertEquals(List.of("j1:COUNT", "j2:COUNT"), removed(ended, 0, LIMITS));
    assertEquals(List.of(), removed(ended.subList(0, 3), 0, LIMITS), "exactly as many as kept: none goes");
  }

  @Test
  void theReasonIsTheFirstLimitThatRemovesTheJob() {
    // j1 is too old; then 3 are left (the count holds); their 1200 bytes exceed 1000: j2 goes for size
    List<RetentionPlan.Ended> ended = List.of(ended("j1", 60, 5000), ended("j2", 3, 600), ended("j3", 2, 300), ended("j4", 1, 300));
    assertEquals(List.of("j1:AGE", "j2:SIZE"), removed(ended, 0, LIMITS));
  }

  @Test
  void aClockThatWentBackKeepsJobsFromTheFutureButTheBudgetAndCountStillHold() {
    // ended "in an hour" by the clock now: as if it just ended
    RetentionPlan.Ended future = new RetentionPlan.Ended("j9", NOW + 3_600_000, 100);
    assertEquals(List.of(), removed(List.of(future), 0, LIMITS));
    // the jobs that ended before the clock went back go first; the future one goes last, for size
    assertEquals(List.of("j1:SIZE", "j9:SIZE"), removed(List.of(future, ended("j1", 1, 2000)), 950, LIMITS));
    assertEquals(List.of("j1:COUNT"),
        removed(List.of(future, ended("j1", 3, 0), ended("j2", 2, 0), ended("j3", 1, 0)), 0, LIMITS));
  }

  @Test
  void jobsThatEndedAtTheSameTimeGoInTheOrderOfTheirIds() {
    List<RetentionPlan.Ended> ended = List.of(ended("j10", 5, 0), ended("j9", 5, 0), ended("j100", 5, 0), ended("j11", 5, 0));
    assertEquals(List.of("j9:COUNT"), removed(ended, 0, LIMITS));
  }

  @Test
  void zeroLimitsKeepNothingEnded() {
    assertEquals(List.of("j1:AGE"), removed(List.of(ended("j1", 1, 0)), 0, new RetentionLimits(0, 1000, 3)));
    assertEquals(List.of("j1:COUNT"), removed(List.of(ended("j1", 0, 0)), 0, new RetentionLimits(10_000, 1000, 0)));
    assertEquals(List.of("j1:SIZE"), removed(List.of(ended("j1", 0, 1)), 0, new RetentionLimits(10_000, 0, 3)));
  }

  @Test
  void limitsAreParsedFromTheOptionsWithTheirUnits() {
    RetentionLimits l = RetentionLimits.parse("7d", "1g", "1000");
    assertEquals(7 * 86_400_000L, l.keepEndedMillis());
    assertEquals(1L << 30, l.keepOutputBytes());
    assertEquals(1000, l.keepEndedJobs());
    assertEquals(5_000, RetentionLimits.millis("--keep-ended", "5s"));
    assertEquals(5_000, RetentionLimits.millis("--keep-ended", "5"));
    assertEquals(90 * 60_000L, RetentionLimits.millis("--keep-ended", "90M"));
    assertEquals(12 * 3_600_000L, RetentionLimits.millis("--keep-ended", "12h"));
    assertEquals(4096, RetentionLimits.bytes("--keep-output", "4k"));
    assertEquals(256L << 20, RetentionLimits.bytes("--keep-output", "256m"));
    assertEquals(123, RetentionLimits.bytes("--keep-output", "123"));
  }

  @Test
  void aBadLimitIsRefusedNamingTheOptionAndTheValue() {
    for (String[] bad : new String[][] {{"7 days", "1g", "10"}, {"-1s", "1g", "10"}, {"7d", "1.5g", "10"}, {"7d", "1gb", "10"},
        {"7d", "", "10"}, {"7d", "1g", "ten"}, {"7d", "1g", "-1"}, {"9999999999d", "1g", "1"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetentionLimits.parse(bad[0], bad[1], bad[2]));
      assertTrue(e.getMessage().contains("--keep-") && e.getMessage().contains("got '"), e.getMessage());
    }
  }

  @Test
  void whatIsSaidOfARemovedJobNamesTheLimits() {
    String text = RetentionLimits.parse("7d", "256m", "1000").describe();
    assertTrue(text.contains("7 d") && text.contains("256 MiB") && text.contains("1000 ended jobs") && text.contains("--keep-output"), text);
  }
}
