package tern.gateway;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.List;

/** A real one-member Hazelcast on loopback, for tests of the gateway's state: no other member can join it. */
final class LoopbackHazelcast {
  private LoopbackHazelcast() { }

  static HazelcastInstance start(String name) {
    Config config = new Config().setClusterName("tern-" + name + "-test-" + ProcessHandle.current().pid());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    return Hazelcast.newHazelcastInstance(config);
  }
}
