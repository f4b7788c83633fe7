package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterNames;

import java.util.Comparator;
import java.util.List;

/** What the API can ask of the gateway; each call is blocking and runs on a worker thread. */
public final class Gateway {
  private final HazelcastInstance hz;
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final JobStarter starter;
  private final MigrationCoordinator coordinator;

  Gateway(HazelcastInstance hz, JobBook jobs, NodeDirectory nodes, JobStarter starter, MigrationCoordinator coordinator) {
    this.hz = hz;
    this.jobs = jobs;
    this.nodes = nodes;
    this.starter = starter;
    this.coordinator = coordinator;
  }

  public List<JsonObject> nodes() { return nodes.alive().stream().map(NodeDirectory.Node::toJson).toList(); }

  public List<JsonObject> jobs() { return jobs.all(); }

  public JsonObject job(String id) { return jobs.view(jobs.get(id)); }

  public JsonObject start(JsonObject request) { return jobs.view(starter.start(request)); }

  public JsonObject kill(String id) { return starter.kill(id); }

  public JsonObject expose(String id, int port, int publicPort) { return jobs.view(starter.expose(id, port, publicPort)); }

  public JsonObject unexpose(String id, int port) { return jobs.view(starter.unexpose(id, port)); }

  public JsonObject migrate(String id, String to, String fault) { return coordinator.migrate(id, to, fault); }

  public List<JsonObject> migrations() {
    return hz.<String, String>getMap(ClusterNames.MIGRATIONS).values().stream().map(JsonObject::new)
        .map(m -> { m.remove("job"); return m; })
        .sorted(Comparator.comparingLong(m -> m.getLong("startedAt"))).toList();
  }
}
