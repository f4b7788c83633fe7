package tern.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.Map;

/**
 * Joins this process to the Tern cluster: Hazelcast for membership, failure detection and shared
 * maps, Vert.x's clustered event bus (over Hazelcast) for commands. Bound to the LAN address only,
 * so capsule links on a node are never used for cluster traffic.
 */
public final class ClusterMember {
  public static final String CLUSTER_NAME = "tern";
  /** Member attributes: a node's identity and shape travel with its membership, so they vanish with it. */
  public static final String ATTR_ROLE = "tern.role";
  public static final String ATTR_NODE = "tern.node";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private ClusterMember(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  public static ClusterMember join(String bindIp, List<String> seeds, Map<String, String> attributes) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // "nodes that join or die show up within 10 s"
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig net = config.getNetworkConfig();
    net.setPort(5701).setPortAutoIncrement(true);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(bindIp));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(seeds);
    attributes.forEach((k, v) -> config.getMemberAttributeConfig().setAttribute(k, v));

    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(bindIp).setClusterPublicHost(bindIp);
    Future<Vertx> started = Vertx.builder().with(options).withClusterManager(manager).buildClustered();
    Vertx vertx = started.toCompletionStage().toCompletableFuture().join();
    return new ClusterMember(vertx, manager.getHazelcastInstance());
  }

  public Vertx vertx() { return vertx; }

  public HazelcastInstance hazelcast() { return hazelcast; }

  public void leave() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
