package tern.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
  /** The MAC address of a node's LAN link: two members claiming one name are told apart by it. */
  public static final String ATTR_MAC = "tern.mac";
  /** A node's CPU as {@link CpuFeatures#toJson} writes it: what jobs started there may use. */
  public static final String ATTR_CPU_FEATURES = "tern.cpuFeatures";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private ClusterMember(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  public static final int PORT = 5701;
  static final int PARTITIONS = 31;
  static final int BACKUPS = 2;

  /**
   * Waits until a seed member's cluster port answers: a node that joined before its gateway is up
   * would form a cluster of its own, and merging it back takes Hazelcast a few rounds.
   */
  public static void awaitSeed(String seedIp, java.util.function.Consumer<String> progress) {
    for (long attempt = 0; ; attempt++) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress(seedIp, PORT), 1_000);
        return;
      } catch (java.io.IOException e) {
        if (attempt % 20 == 0) progress.accept("waiting for the cluster at " + seedIp + ":" + PORT + " (" + e.getMessage() + ")");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + seedIp);
      }
    }
  }

  public static ClusterMember join(String bindIp, List<String> seeds, Map<String, String> attributes) {
    return join(bindIp, seeds, attributes, VertxOptions.DEFAULT_WORKER_POOL_SIZE);
  }

  /** As {@link #join(String, List, Map)}, with at most {@code workerThreads} threads for blocking work. */
  public static ClusterMember join(String bindIp, List<String> seeds, Map<String, String> attributes, int workerThreads) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(bindIp, seeds, attributes));
    // epoll where the gateway's jar brings it (Vert.x uses NIO otherwise)
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setWorkerPoolSize(workerThreads);
    // a slower machine blocks longer: warned of (with a stack trace each second) only past Vert.x's
    // limits times its pace, or the warnings themselves fill an emulated machine's serial console
    options.setMaxEventLoopExecuteTime(options.getMaxEventLoopExecuteTime() * Pace.factor())
        .setMaxWorkerExecuteTime(options.getMaxWorkerExecuteTime() * Pace.factor())
        .setWarningExceptionTime(options.getWarningExceptionTime() * Pace.factor());
    options.getEventBusOptions().setHost(bindIp).setClusterPublicHost(bindIp);
    Future<Vertx> started = Vertx.builder().with(options).withClusterManager(manager).buildClustered();
    Vertx vertx = started.toCompletionStage().toCompletableFuture().join();
    return new ClusterMember(vertx, manager.getHazelcastInstance());
  }

  /** How long a member may stay silent before the others count it dead, on machines of {@link Pace} 1. */
  static final int SILENCE_SECONDS = 6;

  /**
   * Hazelcast for a cluster of a gateway and a few dozen small nodes holding a few thousand small
   * entries, on nodes that may have 256 MB in all: the defaults are sized for data grids on servers.
   * Every member runs this, so they all agree on the partition count, as Hazelcast requires.
   */
  static Config hazelcastConfig(String bindIp, List<String> seeds, Map<String, String> attributes) {
    // built in code, not from Vert.x's default XML: parsing it loads some 550 XML classes; the one
    // setting it makes that matters is the subscriptions' multimap, repeated here
    Config config = new Config();
    config.setClusterName(CLUSTER_NAME);
    // two backups of every entry: a migrator and the gateway may die within seconds of each other
    // (a node's power cut during a gateway restart), and the state is in memory only
    config.getMapConfig("default").setBackupCount(BACKUPS);
    config.getMultiMapConfig("default").setBackupCount(BACKUPS);
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(BACKUPS)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // "nodes that join or die show up within 10 s"
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(SILENCE_SECONDS * Pace.factor()));
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // a member that came up alone (its seed was down) finds the others within seconds, not minutes
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // 271 partitions (the default) give every map 271 record stores on every member; a few thousand
    // entries need a handful. Prime, as Hazelcast advises; above the member count of a room of PCs
    config.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
    // thread pools sized for a few dozen members and a few commands a second, not a data grid:
    // each thread is a stack and buffers
    config.setProperty("hazelcast.io.thread.count", "1");
    config.setProperty("hazelcast.io.balancer.interval.seconds", "-1");
    config.setProperty("hazelcast.event.thread.count", "1");
    config.setProperty("hazelcast.operation.response.thread.count", "1");
    // diagnostics nobody reads: their threads and the garbage they make
    config.getMetricsConfig().setEnabled(false);
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
    // Advanced networking with a member endpoint only: no client protocol, so Hazelcast loads no
    // client engine (some 530 classes) and the cluster port accepts no Hazelcast clients at all
    AdvancedNetworkConfig net = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(PORT).setPortAutoIncrement(true);
    member.setInterfaces(new InterfacesConfig().setEnabled(true).setInterfaces(List.of(bindIp)));
    net.setMemberEndpointConfig(member);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(seeds);
    attributes.forEach((k, v) -> config.getMemberAttributeConfig().setAttribute(k, v));
    return config;
  }

  public Vertx vertx() { return vertx; }

  public HazelcastInstance hazelcast() { return hazelcast; }

  public void leave() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
