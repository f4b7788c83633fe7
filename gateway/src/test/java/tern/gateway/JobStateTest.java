package tern.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStateTest {
  @Test
  void anEndedJobNeverChangesAgain() {
    for (JobState ended : new JobState[] {JobState.EXITED, JobState.KILLED, JobState.FAILED}) {
      assertTrue(ended.ended());
      for (JobState next : JobState.values()) assertFalse(ended.canBecome(next), ended + " -> " + next);
    }
  }

  @Test
  void aKillWinsOverEverythingALiveJobIsDoing() {
    for (JobState live : new JobState[] {JobState.STARTING, JobState.RUNNING, JobState.MIGRATING, JobState.RECOVERING}) {
      assertTrue(live.canBecome(JobState.KILLING), live + " -> killing");
    }
    // once asked to die, it ends as killed (or failed, for a start that went wrong), never as exited or moved
    assertTrue(JobState.KILLING.canBecome(JobState.KILLED));
    assertTrue(JobState.KILLING.canBecome(JobState.FAILED));
    assertFalse(JobState.KILLING.canBecome(JobState.EXITED));
    assertFalse(JobState.KILLING.canBecome(JobState.RUNNING));
    assertFalse(JobState.KILLING.canBecome(JobState.MIGRATING));
  }

  @Test
  void onlyARunningJobStartsAMigrationAndOnlyAMigrationRecovers() {
    for (JobState s : JobState.values()) assertEquals(s == JobState.RUNNING, s.canBecome(JobState.MIGRATING), s + " -> migrating");
    for (JobState s : JobState.values()) assertEquals(s == JobState.MIGRATING, s.canBecome(JobState.RECOVERING), s + " -> recovering");
  }

  @Test
  void stateNamesAreTheRecordsLowerCaseText() {
    assertEquals("killing", JobState.KILLING.text());
    assertEquals(JobState.RECOVERING, JobState.of(new io.vertx.core.json.JsonObject().put("state", "recovering")));
  }
}
