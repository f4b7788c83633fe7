package tern.gateway;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.CpuFeatures;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The nodes that are members of the cluster right now (Hazelcast's failure detector decides), with their
 * load; and the ones that were members and left ("down"), remembered in the cluster.
 */
final class NodeDirectory {
  private final HazelcastInstance hz;
  private final IMap<String, String> nodeLoad;
  private final IMap<String, String> draining;
  private final IMap<String, String> seen;

  NodeDirectory(HazelcastInstance hz) {
    this.hz = hz;
    this.nodeLoad = hz.getMap(ClusterNames.NODE_LOAD);
    this.draining = hz.getMap(ClusterNames.DRAINING);
    this.seen = hz.getMap(ClusterNames.NODES_SEEN);
  }

  /**
   * drainedBy: null, "admin" (tern drain) or "shutdown" (its migrator got SIGTERM); memory as the node's
   * last sample said; ready: its migrator takes commands (a sample of this member has come: the sampler
   * starts after the migrator's handlers are registered), else it is still starting; cpu: what its
   * CPU lets jobs run, as its migrator reports it.
   */
  record Node(String name, String lanIp, double cpuCapacity, double cpuUsed, int jobs, String link, String memberId, String drainedBy,
              long memTotalBytes, long memUsedBytes, boolean ready, CpuFeatures cpu) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("name", name).put("lanIp", lanIp).put("cpuCapacity", cpuCapacity)
          .put("cpuUsed", cpuUsed).put("jobs", jobs).put("link", link).put("member", memberId).put("cpu", cpu.toJson())
          .put("memTotalBytes", memTotalBytes).put("memUsedBytes", memUsedBytes)
          .put("state", !ready ? "starting" : drainedBy == null ? "up" : "draining");
      if (drainedBy != null) j.put("drainedBy", drainedBy);
      return j;
    }

    boolean draining() { return drainedBy != null; }

    /** Whether it takes no new job: draining, or still starting. */
    boolean closed() { return draining() || !ready; }

    double linkBytesPerSecond() { return tern.cluster.LinkRate.parse(link) / 8.0; }

    /** Why the job cannot run on this node's CPU; empty when it can. */
    Optional<String> unfitFor(JsonObject job) { return JobBook.cpuUnfit(job, name, cpu); }

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
          drain == null ? null : new JsonObject(drain).getString("by"), load.getLong("memTotalBytes", 0L), load.getLong("memUsedBytes", 0L),
          m.getUuid().toString().equals(load.getString("member")), cpuOf(m)));
    }
    nodes.sort(Comparator.comparing(Node::name));
    return nodes;
  }

  /** The member's CPU as its migrator reported it; one that reported none offers no feature. */
  private static CpuFeatures cpuOf(Member m) {
    String text = m.getAttribute(ClusterMember.ATTR_CPU_FEATURES);
    return CpuFeatures.fromJson(text == null ? new JsonObject() : new JsonObject(text));
  }

  /** Remembers a node that is a member, so that once it leaves it is listed as down. */
  void remember(Member m) {
    String name = m.getAttribute(ClusterMember.ATTR_NODE);
    if (name == null) return;
    seen.set(name, new JsonObject().put("name", name).put("lanIp", m.getAttribute("tern.lanIp"))
        .put("cpuCapacity", Double.parseDouble(m.getAttribute("tern.cpu"))).put("link", m.getAttribute("tern.link"))
        .put("cpu", cpuOf(m).toJson()).encode());
  }

  /** Every node by name: its members (up, draining or starting), and those that were members and are not now ("down"). */
  List<JsonObject> all() {
    Map<String, JsonObject> byName = new TreeMap<>();
    for (String text : seen.values()) {
      JsonObject n = new JsonObject(text);
      byName.put(n.getString("name"), n.put("cpuUsed", 0.0).put("jobs", 0).put("state", "down"));
    }
    for (Node n : alive()) byName.put(n.name(), n.toJson());
    return new ArrayList<>(byName.values());
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

  /** The least-loaded node that takes jobs and whose CPU can run the job, other than the job's own. */
  Optional<Node> leastLoadedFor(JsonObject job) {
    return alive().stream().filter(n -> !n.name().equals(job.getString("node")) && !n.closed() && n.unfitFor(job).isEmpty())
        .max(Comparator.comparingDouble(Node::headroom).thenComparing(n -> -n.jobs())
            .thenComparing(Node::name, Comparator.reverseOrder()));
  }
}
