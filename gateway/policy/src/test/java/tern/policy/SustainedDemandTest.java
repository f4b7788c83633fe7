package tern.policy;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SustainedDemandTest {
  final SustainedDemand demand = new SustainedDemand();

  @Test
  void aJobIsJudgedByWhatItWaitedForInBothOfItsLastTwoSamples() {
    // its first rates measure its start-up: a sleeper that waited for 0.70 of a core while it loaded
    assertEquals(OptionalDouble.empty(), demand.of("j1", "n1", 1000, 0.08, 0.78));
    // then it sleeps: what it waited for in both samples is what it wants and does not get
    assertEquals(0.0, demand.of("j1", "n1", 2000, 0.0, 0.0).getAsDouble(), 1e-9);
    // a second of waiting on a busy node is a blip
    assertEquals(0.01, demand.of("j1", "n1", 3000, 0.01, 0.21).getAsDouble(), 1e-9);
    // a hog waits in every sample
    assertEquals(OptionalDouble.empty(), demand.of("hog", "n1", 1000, 0.25, 1.0));
    assertEquals(0.25 + 0.70, demand.of("hog", "n1", 2000, 0.25, 0.95).getAsDouble(), 1e-9);
    assertEquals(0.25 + 0.70, demand.of("hog", "n1", 3000, 0.25, 1.0).getAsDouble(), 1e-9);
  }

  @Test
  void theSameSampleSeenAgainChangesNothingAndANewNodeStartsAgain() {
    demand.of("j1", "n1", 1000, 0.25, 1.0);
    assertEquals(1.0, demand.of("j1", "n1", 2000, 0.25, 1.0).getAsDouble(), 1e-9);
    assertEquals(1.0, demand.of("j1", "n1", 2000, 0.25, 1.0).getAsDouble(), 1e-9);
    // moved: its first rates on n2 follow its restore
    assertEquals(OptionalDouble.empty(), demand.of("j1", "n2", 5000, 0.5, 0.5));
    assertEquals(0.5, demand.of("j1", "n2", 6000, 0.5, 0.5).getAsDouble(), 1e-9);
  }

  @Test
  void endedJobsAreForgotten() {
    demand.of("j1", "n1", 1000, 0.25, 1.0);
    demand.of("j2", "n1", 1000, 0.25, 1.0);
    demand.retain(Set.of("j2"));
    assertEquals(OptionalDouble.empty(), demand.of("j1", "n1", 2000, 0.25, 1.0), "j1 starts again");
    assertEquals(1.0, demand.of("j2", "n1", 2000, 0.25, 1.0).getAsDouble(), 1e-9);
  }
}
