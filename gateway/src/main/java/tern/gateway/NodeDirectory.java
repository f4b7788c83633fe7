package tern.gateway;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.admission.MacAddress;
import tern.cluster.CpuFeatures;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The nodes that are members of the cluster right now (Hazelcast's failure detector decides), with their
 * load; and the ones that were members and left ("down"), remembered in the cluster.
 */
final class NodeDirectory {
  private final HazelcastInstance hz;
  private final ClusterSecret secret;
  private final IMap<String, String> nodeLoad;
  private final IMap<String, String> draining;
  private final IMap<String, String> seen;

  NodeDirectory(HazelcastInstance hz, ClusterSecret secret) {
    this.hz = hz;
    this.secret = secret;
    this.nodeLoad = hz.getMap(ClusterNames.NODE_LOAD);
    this.draining = hz.getMap(ClusterNames.DRAINING);
    this.seen = hz.getMap(ClusterNames.NODES_SEEN);
  }

  /**
   * drainedBy: null, "admin" (tern drain) or "shutdown" (its migrator got SIGTERM); memory as the node's
   * last sample said; ready: its migrator takes commands (a sample of this member has come: the sampler
   * starts after the migrator's handlers are registered), else it is still starting. mac: its LAN
   * address's MAC; refusal: why the member is not taken as a node at all (null: it is); cpu: what its
   * CPU lets jobs run, as its migrator reports it.
   */
  record Node(String name, String lanIp, double cpuCapacity, double cpuUsed, int jobs, String link, String memberId, String drainedBy,
              long memTotalBytes, long memUsedBytes, long migratorRssBytes, boolean ready, String mac, String refusal, CpuFeatures cpu) {
    JsonObject toJson() {
      // a refused member is listed by its MAC address: the name it claims is someone else's, or not proven
      JsonObject j = new JsonObject().put("name", refusal != null && mac != null ? mac : name).put("lanIp", lanIp).put("cpuCapacity", cpuCapacity)
          .put("cpuUsed", cpuUsed).put("jobs", jobs).put("link", link).put("member", memberId).put("cpu", cpu.toJson())
          .put("memTotalBytes", memTotalBytes).put("memUsedBytes", memUsedBytes).put("migratorRssBytes", migratorRssBytes)
          .put("state", refusal != null ? "refused" : !ready ? "starting" : drainedBy == null ? "up" : "draining");
      if (drainedBy != null) j.put("drainedBy", drainedBy);
      if (mac != null) j.put("mac", mac);
      if (refusal != null) j.put("claimedName", name).put("reason", refusal);
      return j;
    }

    boolean draining() { return drainedBy != null; }

    /** Whether it takes no new job: draining, or still starting. */
    boolean closed() { return draining() || !ready; }

    double linkBytesPerSecond() { return tern.cluster.LinkRate.parse(link) / 8.0; }

    /** Why the job cannot run on this node's CPU; empty when it can. hereCpu: the CPU of the job's node now (cpuHere). */
    Optional<String> unfitFor(JsonObject job, CpuFeatures hereCpu) {
      return JobBook.cpuUnfit(job, name, cpu, hereCpu);
    }

    /** Free CPU as a share of capacity: what placement and the default migration target compare. */
    double headroom() { return cpuCapacity <= 0 ? 0 : (cpuCapacity - cpuUsed) / cpuCapacity; }
  }

  /** The CPU of the node the job runs on now, found among nodes; null when it is not among them. */
  static CpuFeatures cpuHere(JsonObject job, List<Node> nodes) {
    String here = job.getString("node");
    return nodes.stream().filter(n -> n.name().equals(here)).map(Node::cpu).findFirst().orElse(null);
  }

  /** The node members that are taken as nodes: every refused one left out, so nothing places or moves a job to it. */
  List<Node> alive() { return members().stream().filter(n -> n.refusal() == null).toList(); }

  /**
   * Every member that says it is a node, in the order they joined. Refused: one whose load samples do not
   * carry the cluster's proof (it does not hold the cluster secret: a PC that found the cluster port but
   * was never accepted), and one that claims a name an earlier member of another MAC address holds.
   */
  List<Node> members() {
    List<Node> nodes = new ArrayList<>();
    Map<String, Node> holders = new HashMap<>();
    for (Member m : hz.getCluster().getMembers()) {
      if (!"node".equals(m.getAttribute(ClusterMember.ATTR_ROLE))) continue;
      String name = m.getAttribute(ClusterMember.ATTR_NODE);
      String mac = m.getAttribute(ClusterMember.ATTR_MAC);
      String text = nodeLoad.get(name);
      JsonObject load = new JsonObject();
      String refusal = null;
      if (text != null) {
        try {
          load = secret.verify(new JsonObject(text));
        } catch (SecurityException | IllegalArgumentException e) {
          refusal = "its load samples carry no valid cluster proof (" + e.getMessage() + "): it does not hold the cluster secret";
        }
      }
      Node holder = holders.get(name);
      if (holder != null && !Objects.equals(holder.mac(), mac)) {
        refusal = clash(name, holder, mac);
      }
      String drain = draining.get(name);
      Node n = new Node(name, m.getAttribute("tern.lanIp"), Double.parseDouble(m.getAttribute("tern.cpu")),
          load.getDouble("cpuUsed", 0.0), load.getInteger("jobs", 0), m.getAttribute("tern.link"), m.getUuid().toString(),
          drain == null ? null : new JsonObject(drain).getString("by"), load.getLong("memTotalBytes", 0L), load.getLong("memUsedBytes", 0L),
          load.getLong("migratorRssBytes", 0L),
          refusal == null && m.getUuid().toString().equals(load.getString("member")), mac, refusal, cpuOf(m));
      if (holder == null && refusal == null) holders.put(name, n);
      nodes.add(n);
    }
    nodes.sort(Comparator.comparing(Node::name));
    return nodes;
  }

  /** The names live node members hold, with their MAC addresses (what a new acceptance must not take). */
  Map<String, MacAddress> liveNames() {
    Map<String, MacAddress> names = new HashMap<>();
    for (Node n : alive()) {
      if (n.mac() != null) names.putIfAbsent(n.name(), MacAddress.parse(n.mac()));
    }
    return names;
  }

  /** Why a member that claims the name of a live member of another MAC address is refused (null: it is not). */
  String clashOf(Member m) {
    String name = m.getAttribute(ClusterMember.ATTR_NODE);
    String mac = m.getAttribute(ClusterMember.ATTR_MAC);
    for (Node n : alive()) {
      if (n.name().equals(name) && !n.memberId().equals(m.getUuid().toString()) && !Objects.equals(n.mac(), mac)) return clash(name, n, mac);
    }
    return null;
  }

  private static String clash(String name, Node holder, String mac) {
    return "name " + name + " is held by MAC " + holder.mac() + " (" + holder.lanIp() + "); refused to MAC " + mac;
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
    for (Node n : members()) byName.put(n.refusal() == null ? n.name() : n.mac() + "/" + n.memberId(), n.toJson());
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
    List<Node> alive = alive();
    CpuFeatures here = cpuHere(job, alive);
    return alive.stream().filter(n -> !n.name().equals(job.getString("node")) && !n.closed() && n.unfitFor(job, here).isEmpty())
        .max(Comparator.comparingDouble(Node::headroom).thenComparing(n -> -n.jobs())
            .thenComparing(Node::name, Comparator.reverseOrder()));
  }
}
