package tern.gateway;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The nodes that are members of the cluster right now (Hazelcast's failure detector decides), with their load. */
final class NodeDirectory {
  private final HazelcastInstance hz;
  private final IMap<String, String> nodeLoad;
  private final IMap<String, String> draining;

  NodeDirectory(HazelcastInstance hz) {
    this.hz = hz;
    this.nodeLoad = hz.getMap(ClusterNames.NODE_LOAD);
    this.draining = hz.getMap(ClusterNames.DRAINING);
  }

  /** drainedBy: null, "admin" (tern drain) or "shutdown" (its migrator got SIGTERM). */
  record Node(String name, String lanIp, double cpuCapacity, double cpuUsed, int jobs, String link, String memberId, String drainedBy) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("name", name).put("lanIp", lanIp).put("cpuCapacity", cpuCapacity)
          .put("cpuUsed", cpuUsed).put("jobs", jobs).put("link", link).put("member", memberId)
          .put("state", drainedBy == null ? "up" : "draining");
      if (drainedBy != null) j.put("drainedBy", drainedBy);
      return j;
    }

    boolean draining() { return drainedBy != null; }

    double linkBytesPerSecond() { return tern.cluster.LinkRate.parse(link) / 8.0; }

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
      String drain = draining.get(name);
      nodes.add(new Node(name, m.getAttribute("tern.lanIp"), Double.parseDouble(m.getAttribute("tern.cpu")),
          load.getDouble("cpuUsed", 0.0), load.getInteger("jobs", 0), m.getAttribute("tern.link"), m.getUuid().toString(),
          drain == null ? null : new JsonObject(drain).getString("by")));
    }
    nodes.sort(Comparator.comparing(Node::name));
    return nodes;
  }

  Optional<Node> find(String name) {
    return alive().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  Node require(String name) {
    return find(name).orElseThrow(() -> new RequestError(404, "unknown node '" + name + "' (alive nodes: "
        + String.join(", ", alive().stream().map(Node::name).toList()) + ")"));
  }

  /** No new jobs go to the node, and the balancer moves its movable jobs away. */
  void drain(String name, String by) {
    draining.set(name, new JsonObject().put("by", by).put("at", System.currentTimeMillis()).encode());
  }

  void undrain(String name) { draining.delete(name); }

  /** Who drains the node (null: nobody). */
  String drainedBy(String name) {
    String d = draining.get(name);
    return d == null ? null : new JsonObject(d).getString("by");
  }

  /** The least-loaded node that takes jobs, leaving out one (the job's own node, when choosing where to move it). */
  Optional<Node> leastLoaded(String except) {
    return alive().stream().filter(n -> !n.name().equals(except) && !n.draining())
        .max(Comparator.comparingDouble(Node::headroom).thenComparing(n -> -n.jobs())
            .thenComparing(Node::name, Comparator.reverseOrder()));
  }
}
