package tern.gateway;

import io.vertx.core.json.JsonObject;
import tern.cluster.CpuFeatures;
import tern.policy.JobSample;
import tern.policy.NodeSample;
import tern.policy.Programs;
import tern.policy.SustainedDemand;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** The cluster as the policy sees it, from the node directory, the job records and the nodes' load samples. */
final class ClusterView {
  private final NodeDirectory nodes;
  private final JobBook jobs;
  private final SustainedDemand demand = new SustainedDemand();

  ClusterView(NodeDirectory nodes, JobBook jobs) {
    this.nodes = nodes;
    this.jobs = jobs;
  }

  record Snapshot(List<NodeSample> nodes, List<JobSample> jobs) { }

  Snapshot take() {
    long now = System.currentTimeMillis();
    List<JobSample> running = new ArrayList<>();
    Map<String, Integer> pending = new HashMap<>();
    List<JsonObject> active = jobs.active();
    List<NodeDirectory.Node> alive = nodes.alive();
    Set<String> ids = new HashSet<>(active.stream().map(j -> j.getString("id")).toList());
    Map<String, JsonObject> samples = jobs.samples(ids);
    demand.retain(ids);
    for (JsonObject j : active) {
      JobState state = JobState.of(j);
      String node = j.getString("node");
      JsonObject s = samples.get(j.getString("id"));
      OptionalDouble wanted = s == null || !node.equals(s.getString("node")) || !s.containsKey("cpuDemand")
          || s.getLong("sampledAt", 0L) < j.getLong("startedAt", 0L) ? OptionalDouble.empty()
          : demand.of(j.getString("id"), node, s.getLong("sampledAt"), s.getDouble("cpu"), s.getDouble("cpuDemand"));
      if (wanted.isEmpty()) {
        // placed, but its node has no rates for it yet beyond its start-up: it still counts there (a burst of starts)
        pending.merge(node, 1, Integer::sum);
        continue;
      }
      if (state != JobState.RUNNING) continue;
      long movedAt = j.getLong("lastMovedAt", 0L);
      running.add(new JobSample(j.getString("id"), node, Programs.nameOf(JobBook.argv(j)),
          s.getDouble("cpu"), wanted.getAsDouble(), (now - j.getLong("startedAt", now)) / 1000.0,
          s.getLong("anonBytes", 0L), s.getDouble("ioBytesPerSecond", 0.0), s.getString("localDevice"),
          movedAt == 0 ? Double.POSITIVE_INFINITY : (now - movedAt) / 1000.0, j.getDouble("lastMovePayback", 0.0), unfitNodes(j, alive)));
    }
    List<NodeSample> nodeSamples = new ArrayList<>();
    for (NodeDirectory.Node n : alive) {
      nodeSamples.add(new NodeSample(n.name(), n.cpuCapacity(), n.linkBytesPerSecond(), n.closed(), pending.getOrDefault(n.name(), 0)));
    }
    return new Snapshot(nodeSamples, running);
  }

  /** The nodes whose CPU cannot run the job, each with the reason. */
  private static Map<String, String> unfitNodes(JsonObject job, List<NodeDirectory.Node> alive) {
    Map<String, String> unfit = new HashMap<>();
    CpuFeatures here = NodeDirectory.cpuHere(job, alive);
    for (NodeDirectory.Node n : alive) n.unfitFor(job, here).ifPresent(why -> unfit.put(n.name(), why));
    return unfit;
  }
}
