package tern.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationStateTest {
  @Test
  void aMigrationEndsOnceAndOneWay() {
    for (MigrationState end : MigrationState.values()) {
      if (end == MigrationState.RUNNING) continue;
      assertTrue(MigrationState.RUNNING.canBecome(end), "running -> " + end.text());
      for (MigrationState next : MigrationState.values()) assertFalse(end.canBecome(next), end.text() + " -> " + next.text());
    }
    assertFalse(MigrationState.RUNNING.canBecome(MigrationState.RUNNING));
  }

  @Test
  void theDonorDropsItsImagesOnlyWhenTheJobIsTheAcceptorsOrWasKilled() {
    for (MigrationState s : MigrationState.values()) {
      assertEquals(s == MigrationState.COMMITTED || s == MigrationState.KILLED, s.donorDiscards(), s.text());
    }
  }

  @Test
  void theHistorysTextReadsBackAsTheSameState() {
    for (MigrationState s : MigrationState.values()) assertEquals(s, MigrationState.of(s.text()));
    assertThrows(IllegalStateException.class, () -> MigrationState.of("done"));
  }
}
