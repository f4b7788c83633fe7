package tern.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterMemberTest {
  static Properties with(String value) {
    Properties p = new Properties();
    if (value != null) p.setProperty(ClusterMember.SILENCE_PROPERTY, value);
    return p;
  }

  @Test
  void aMemberSilentForSixSecondsIsDeadUnlessTheMachineSaysItIsSlower() {
    assertEquals(6, ClusterMember.silenceSeconds(with(null)));
    assertEquals(60, ClusterMember.silenceSeconds(with(" 60")));
    assertEquals("6", ClusterMember.hazelcastConfig("127.0.0.1", List.of("127.0.0.1"), Map.of())
        .getProperty("hazelcast.max.no.heartbeat.seconds"));
  }

  @Test
  void aSilenceThatIsNoNumberOrOutOfRangeIsRefusedNamingTheProperty() {
    for (String bad : new String[] {"", "ten", "2", "601", "-5", "1e3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterMember.silenceSeconds(with(bad)));
      assertTrue(e.getMessage().contains("tern.cluster.silenceSeconds") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
