package tern.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaceTest {
  static Properties with(String value) {
    Properties p = new Properties();
    if (value != null) p.setProperty(Pace.PROPERTY, value);
    return p;
  }

  @Test
  void machinesRunAtPaceOneUnlessTheySayTheyAreSlower() {
    assertEquals(1, Pace.of(with(null)));
    assertEquals(10, Pace.of(with(" 10")));
    // this test's JVM is of pace 1: a member silent for six seconds is dead
    assertEquals("6", ClusterMember.hazelcastConfig("127.0.0.1", List.of("127.0.0.1"), Map.of())
        .getProperty("hazelcast.max.no.heartbeat.seconds"));
  }

  @Test
  void aPaceThatIsNoWholeNumberOrOutOfRangeIsRefusedNamingTheProperty() {
    for (String bad : new String[] {"", "ten", "0", "101", "-5", "1.5"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pace.of(with(bad)));
      assertTrue(e.getMessage().contains("tern.cluster.pace") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
