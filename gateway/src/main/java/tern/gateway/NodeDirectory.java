package tern.gateway;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The nodes that are members of the cluster right now (Hazelcast's failure detector decides), with their load. */
final class NodeDirectory {
  private final HazelcastInstance hz;
  private final IMap<String, String> nodeLoad;

  NodeDirectory(HazelcastInstance hz) {
    this.hz = hz;
    this.nodeLoad = hz.getMap(ClusterNames.NODE_LOAD);
  }

  record Node(String name, String lanIp, double cpuCapacity, double cpuUsed, int jobs, String link, String memberId) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("lanIp", lanIp).put("cpuCapacity", cpuCapacity)
          .put("cpuUsed", cpuUsed).put("jobs", jobs).put("link", link).put("member", memberId);
    }

    /** Free CPU as a share of capacity: what placement and the default migration target compare. */
    double headroom() { return cpuCapacity <= 0 ? 0 : (cpuCapacity - cpuUsed) / cpuCapacity; }
  }

  List<Node> alive() {
    List<Node> nodes = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) {
      if (!"node".equals(m.getAttribute(ClusterMember.ATTR_ROLE))) continue;
      String name = m.getAttribute(ClusterMember.ATTR_NODE);
      String text = nodeLoad.get(name);
      JsonObject load = text == null ? new JsonObject() : new JsonObject(text);
      nodes.add(new Node(name, m.getAttribute("tern.lanIp"), Double.parseDouble(m.getAttribute("tern.cpu")),
          load.getDouble("cpuUsed", 0.0), load.getInteger("jobs", 0), m.getAttribute("tern.link"), m.getUuid().toString()));
    }
    nodes.sort(Comparator.comparing(Node::name));
    return nodes;
  }

  Optional<Node> find(String name) {
    return alive().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  Node require(String name) {
    return find(name).orElseThrow(() -> new ApiError(404, "unknown node '" + name + "' (alive nodes: "
        + String.join(", ", alive().stream().map(Node::name).toList()) + ")"));
  }

  /** The least-loaded node, leaving out one (the job's own node when choosing a migration target). */
  Optional<Node> leastLoaded(String except) { return leastLoaded(except, Map.of()); }

  /**
   * The least-loaded node by sampled CPU headroom, then by the jobs placed on it: the placed count
   * comes from the cluster's job records, so a burst of new jobs (a make -j) spreads over the nodes
   * before their load shows in a sample.
   */
  Optional<Node> leastLoaded(String except, Map<String, Integer> placed) {
    return alive().stream().filter(n -> !n.name().equals(except))
        .max(Comparator.comparingDouble(Node::headroom)
            .thenComparing(n -> -Math.max(n.jobs(), placed.getOrDefault(n.name(), 0)))
            .thenComparing(Node::name, Comparator.reverseOrder()));
  }
}
