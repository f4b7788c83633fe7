package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;
import tern.policy.Decision;
import tern.policy.JobSample;
import tern.policy.NodeSample;
import tern.util.Util;
import tern.util.Periodic;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Once a second: the cluster's samples through the policy, and its moves carried out one after
 * another. Each verdict on a running job is an event when it changes (a job staying for the same
 * reason every second is said once). Paused by `tern balance off`; a drain goes on regardless,
 * since it is an order, not an optimisation.
 */
final class Balancer {
  private static final Logger LOG = Logger.getLogger("tern.balancer");
  private final ClusterView view;
  private final ClusterPolicy policy;
  private final MigrationCoordinator coordinator;
  private final JobBook jobs;
  private final EventLog events;
  private final IMap<String, String> settings;
  /** The last verdict said of each job, and the decision behind it. */
  private final Map<String, String> said = new ConcurrentHashMap<>();
  private final Map<String, Decision> latest = new ConcurrentHashMap<>();

  Balancer(HazelcastInstance hz, ClusterView view, ClusterPolicy policy, MigrationCoordinator coordinator, JobBook jobs, EventLog events) {
    this.view = view;
    this.policy = policy;
    this.coordinator = coordinator;
    this.jobs = jobs;
    this.events = events;
    this.settings = hz.getMap(ClusterNames.SETTINGS);
  }

  void start() {
    Periodic.start("balancer", 1, 1, TimeUnit.SECONDS, LOG, "a balancing round", this::tick);
  }

  boolean enabled() { return !"off".equals(settings.get("balance")); }

  void enable(boolean on) {
    settings.set("balance", on ? "on" : "off");
    events.record(on ? "balance-on" : "balance-off", null, null, "balancer " + (on ? "resumed" : "paused") + " by the admin", null);
  }

  /** The balancer's latest verdict on each job of a node. */
  /** A job doing more local file I/O than this stays where its files are. */
  double maxLocalIoBytesPerSecond() { return policy.maxLocalIoBytesPerSecond(); }

  List<Decision> latestOn(String node) {
    return latest.values().stream().filter(d -> node.equals(d.from())).sorted(Comparator.comparing(Decision::jobId)).toList();
  }

  void tick() {
    ClusterView.Snapshot now = view.take();
    boolean on = enabled();
    List<String> drainingNodes = now.nodes().stream().filter(NodeSample::draining).map(NodeSample::name).toList();
    Set<String> running = new HashSet<>(now.jobs().stream().map(JobSample::id).toList());
    latest.keySet().retainAll(running);
    said.keySet().retainAll(running);
    if (!on && drainingNodes.isEmpty()) return;
    List<Decision> decisions = policy.decide(now.nodes(), now.jobs().stream().filter(j -> !coordinator.inFlight(j.id())).toList());
    for (Decision d : decisions) {
      latest.put(d.jobId(), d);
      if (!on && !drainingNodes.contains(d.from())) continue;
      String key = d.verdict() + " " + d.to() + " " + d.reason().replaceAll("[0-9.]+", "#");
      if (!key.equals(said.put(d.jobId(), key))) {
        events.record(d.verdict().name().toLowerCase(), d.jobId(), d.from(), d.summary(), figures(d));
      }
    }
    for (Decision d : decisions) {
      if (!d.moves() || (!on && !drainingNodes.contains(d.from()))) continue;
      move(d);
    }
  }

  private void move(Decision d) {
    try {
      JsonObject rec = coordinator.migrate(d.jobId(), d.to(), null);
      if (Double.isFinite(d.paybackSeconds())) jobs.update(d.jobId(), j -> j.put("lastMovePayback", d.paybackSeconds()));
      events.record("moved", d.jobId(), d.to(), String.format("%s moved %s -> %s (%s): freeze %d ms, predicted %.0f ms", d.jobId(),
          d.from(), d.to(), d.reason(), rec.getLong("freezeMs", -1L), d.costSeconds() * 1000), figures(d).put("migration", rec.getString("id"))
          .put("freezeMs", rec.getLong("freezeMs", -1L)));
    } catch (RuntimeException e) {
      events.record("move-failed", d.jobId(), d.from(),
          d.jobId() + " could not move " + d.from() + " -> " + d.to() + ": " + e.getMessage(), figures(d));
    }
  }

  private static JsonObject figures(Decision d) {
    JsonObject f = new JsonObject().put("verdict", d.verdict().name().toLowerCase()).put("from", d.from()).put("reason", d.reason())
        .put("costSeconds", round(d.costSeconds())).put("gainSeconds", round(d.gainSeconds()))
        .put("expectedRemainingSeconds", round(d.remainingSeconds()));
    if (d.to() != null) f.put("to", d.to()).put("paybackSeconds", round(d.paybackSeconds()));
    return f;
  }

  /** A figure for the event's JSON, -1 for one that is not finite (JSON has no infinity). */
  private static double round(double v) { return Double.isFinite(v) ? Util.round(v) : -1; }

  JsonObject status() {
    return new JsonObject().put("enabled", enabled()).put("learned", policy.toJson());
  }
}
