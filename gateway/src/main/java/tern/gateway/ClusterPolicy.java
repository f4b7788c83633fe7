package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;
import tern.policy.BalancePolicy;
import tern.policy.Decision;
import tern.policy.JobSample;
import tern.policy.LifetimeModel;
import tern.policy.MigrationCostModel;
import tern.policy.NodeSample;
import tern.policy.PolicyConfig;
import tern.policy.Programs;
import tern.protocol.MigrationState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The balancer's policy with what it has learned as the cluster runs, shared by placement and the
 * balancer. What it learns is kept in the cluster's state, so that a restarted gateway knows it too:
 * each program's lifetimes (from every job that ended) and the freeze of past migrations against
 * their size and link (from the migration history).
 */
final class ClusterPolicy {
  private final LifetimeModel lifetimes = new LifetimeModel();
  private final MigrationCostModel costs = new MigrationCostModel();
  private final BalancePolicy policy;
  private final PolicyConfig config;
  private final IMap<String, String> lifetimeMap;

  ClusterPolicy(HazelcastInstance hz, PolicyConfig config) {
    this.config = config;
    this.policy = new BalancePolicy(config, costs, lifetimes);
    this.lifetimeMap = hz.getMap(ClusterNames.LIFETIMES);
    for (Map.Entry<String, String> e : lifetimeMap.entrySet()) {
      for (Object o : new JsonArray(e.getValue())) lifetimes.ended(e.getKey(), ((Number) o).doubleValue());
    }
    IMap<String, String> migrations = hz.getMap(ClusterNames.MIGRATIONS);
    List<JsonObject> committed = new ArrayList<>();
    for (String text : migrations.values()) {
      JsonObject m = new JsonObject(text);
      if (MigrationState.of(m.getString("state")) == MigrationState.COMMITTED && m.containsKey("linkBytesPerSecond")) committed.add(m);
    }
    committed.sort(Comparator.comparingLong(m -> m.getLong("startedAt", 0L)));
    committed.forEach(this::observe);
  }

  synchronized List<Decision> decide(List<NodeSample> nodes, List<JobSample> jobs) { return policy.decide(nodes, jobs); }

  synchronized Optional<String> place(List<NodeSample> nodes, List<JobSample> jobs, List<String> argv) {
    return policy.place(nodes, jobs, Programs.nameOf(argv));
  }

  synchronized void jobEnded(List<String> argv, double seconds) {
    String program = Programs.nameOf(argv);
    lifetimes.ended(program, seconds);
    lifetimeMap.set(program, new JsonArray(new ArrayList<>(lifetimes.history(program))).encode());
  }

  /** A committed migration's record: its freeze against its dirty bytes and link. */
  synchronized void observe(JsonObject migration) {
    if (!migration.containsKey("freezeMs") || !migration.containsKey("linkBytesPerSecond")) return;
    costs.observe(new MigrationCostModel.Sample(migration.getLong("anonBytes", 0L), migration.getDouble("linkBytesPerSecond"),
        migration.getLong("freezeMs") / 1000.0));
  }

  /** A job doing more local file I/O than this stays where its files are. */
  double maxLocalIoBytesPerSecond() { return config.maxLocalIoBytesPerSecond(); }

  /** What the learned cost model expects a migration of this much memory over this link to freeze the job for. */
  synchronized long predictedFreezeMs(long bytes, double linkBytesPerSecond) {
    return linkBytesPerSecond <= 0 ? -1 : Math.round(costs.freezeSeconds(bytes, linkBytesPerSecond) * 1000);
  }

  synchronized JsonObject toJson() {
    return new JsonObject().put("migrationFixedSeconds", costs.fixedSeconds()).put("migrationSlope", costs.slope())
        .put("migrationSamples", costs.samples().size()).put("programsKnown", lifetimes.all().size())
        .put("maxLocalIoMiBPerSecond", config.maxLocalIoBytesPerSecond() / 1048576);
  }
}
