package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.policy.Decision;
import tern.request.StartRequest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the API can ask of the gateway; each call is blocking and runs on a worker thread. */
public final class GatewayOperations {
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final JobStarts starts;
  private final JobPorts ports;
  private final JobEndings endings;
  private volatile boolean ready;
  private final MigrationCoordinator coordinator;
  private final Balancer balancer;
  private final EventLog events;
  private final AuditLog audit;
  private final RetentionSweep retention;

  GatewayOperations(JobBook jobs, NodeDirectory nodes, JobStarts starts, JobPorts ports, JobEndings endings,
                    MigrationCoordinator coordinator, Balancer balancer, EventLog events, AuditLog audit,
                    RetentionSweep retention) {
    this.audit = audit;
    this.retention = retention;
    this.ports = ports;
    this.endings = endings;
    this.balancer = balancer;
    this.events = events;
    this.jobs = jobs;
    this.nodes = nodes;
    this.starts = starts;
    this.coordinator = coordinator;
  }

  /** The nodes up, draining and down. */
  public List<JsonObject> nodes() { return nodes.all(); }

  public List<JsonObject> jobs() { return jobs.all(); }

  public JsonObject job(String id) { return jobs.view(jobs.get(id)); }

  public JsonObject start(StartRequest request) { return jobs.view(starts.start(request)); }

  public JsonObject kill(String id) { return jobs.view(endings.kill(id)); }

  /** Whether the gateway holds the cluster's state (after a restart: once it has recovered it); until then the API answers 503. */
  public boolean ready() { return ready; }

  void ready(boolean on) { ready = on; }

  public JsonObject expose(String id, int port, int publicPort) { return jobs.view(ports.expose(id, port, publicPort)); }

  public JsonObject unexpose(String id, int port) { return jobs.view(ports.unexpose(id, port)); }

  public JsonObject migrate(String id, String to, String fault) { return coordinator.migrate(id, to, fault); }

  /** tern drain: no new jobs on the node, and its movable jobs leave. */
  public JsonObject drain(String node) {
    nodes.require(node);
    if (nodes.drainedBy(node) == null) {
      nodes.drain(node, "admin");
      events.record("drain", null, node, "draining " + node + " (admin)", null);
    }
    return drainStatus(node);
  }

  public JsonObject undrain(String node) {
    nodes.require(node);
    if (nodes.drainedBy(node) != null) {
      nodes.undrain(node);
      events.record("undrain", null, node, node + " takes jobs again (admin)", null);
    }
    return drainStatus(node);
  }

  /** The node's jobs: the ones still to leave, and the pinned ones with the reason they stay. */
  public JsonObject drainStatus(String node) {
    nodes.require(node);
    JsonArray movable = new JsonArray(), pinned = new JsonArray();
    Map<String, Decision> verdicts = new HashMap<>();
    balancer.latestOn(node).forEach(d -> verdicts.put(d.jobId(), d));
    for (JsonObject j : jobs.active()) {
      if (!node.equals(j.getString("node"))) continue;
      Decision d = verdicts.get(j.getString("id"));
      if (d != null && d.verdict() == Decision.Verdict.PINNED) {
        pinned.add(new JsonObject().put("jobId", j.getString("id")).put("reason", d.reason()));
      } else {
        movable.add(j.getString("id"));
      }
    }
    String by = nodes.drainedBy(node);
    JsonObject s = new JsonObject().put("node", node).put("draining", by != null).put("movable", movable).put("pinned", pinned);
    if (by != null) s.put("drainedBy", by);
    return s;
  }

  public List<JsonObject> events(long after, int limit) { return events.since(after, limit); }

  /** The events about one job, after sequence number {@code after}, the latest {@code limit} of them (among the last 1000). */
  public List<JsonObject> events(long after, int limit, String jobId) {
    List<JsonObject> mine = events.since(after, 1000).stream()
        .filter(e -> jobId.equals(e.getString("jobId"))).toList();
    return after < 0 ? mine.subList(Math.max(0, mine.size() - limit), mine.size()) : mine.subList(0, Math.min(limit, mine.size()));
  }

  /** Every node the job could be migrated to, and why not where it cannot be. */
  public JsonArray targets(String id) {
    JsonObject job = jobs.get(id);
    JsonObject sample = jobs.samples(java.util.Set.of(id)).get(id);
    return MigrationTargets.of(job, sample, nodes.all(), balancer.maxLocalIoBytesPerSecond());
  }

  /** Writes down who did what (see {@link AuditLog#record}). */
  public void audit(String action, String target, String from, String via, String outcome) {
    audit.record(action, target, from, via, outcome);
  }

  public List<JsonObject> audit(long after, int limit) { return audit.since(after, limit); }

  public JsonObject balance() { return balancer.status(); }

  /** What the retention sweeps removed since the gateway started, and the jobs' output kept now. */
  public JsonObject retention() { return retention.status(); }

  public JsonObject balance(boolean on) {
    balancer.enable(on);
    return balancer.status();
  }

  /** The migrations, oldest first; one in flight has its phase and the image bytes its donor has sent so far. */
  public List<JsonObject> migrations() { return coordinator.history(); }
}
