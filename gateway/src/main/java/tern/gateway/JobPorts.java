package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.proxy.Exposures;
import tern.request.RequestError;

import java.util.logging.Logger;

/** A job's public ports: opened on the gateway for a port of its VIP, listed in its record (so `tern ps` shows them). */
final class JobPorts {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  private final JobBook jobs;
  private final Exposures exposures;

  JobPorts(JobBook jobs, Exposures exposures) {
    this.jobs = jobs;
    this.exposures = exposures;
  }

  /** Refuses, before the job starts, a port that could not be exposed. */
  void check(int port, int publicPort) {
    exposures.check(port, publicPort);
  }

  /** Opens a public port for the job's PORT; the job's record lists it, so `tern ps` shows it. */
  JsonObject expose(String id, int port, int publicPort) {
    JsonObject job = jobs.get(id);
    JobState state = JobState.of(job);
    if (state != JobState.RUNNING && state != JobState.MIGRATING) {
      throw new RequestError(409, "job " + id + " is " + state.text() + ", only a running job can expose a port");
    }
    int opened = exposures.expose(id, job.getString("vip"), port, publicPort);
    return jobs.update(id, j -> j.put("exposed", j.getJsonArray("exposed", new JsonArray())
        .add(new JsonObject().put("port", port).put("public", opened))));
  }

  JsonObject unexpose(String id, int port) {
    jobs.get(id);
    exposures.unexpose(id, port);
    return jobs.update(id, j -> {
      JsonArray left = new JsonArray();
      for (Object o : j.getJsonArray("exposed", new JsonArray())) if (((JsonObject) o).getInteger("port") != port) left.add(o);
      return j.put("exposed", left);
    });
  }

  /**
   * After a gateway restart its listeners are gone; the jobs' records still say what was exposed.
   * Idempotent: run again whenever the cluster's state may have changed under the gateway (a merge).
   */
  void reopenExposures() {
    for (JsonObject job : jobs.active()) {
      for (Object o : job.getJsonArray("exposed", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        if (exposures.isOpen(job.getString("id"), e.getInteger("port"))) continue;
        try {
          exposures.expose(job.getString("id"), job.getString("vip"), e.getInteger("port"), e.getInteger("public"));
        } catch (RequestError err) {
          LOG.warning("could not reopen " + job.getString("id") + " port " + e.getInteger("port") + ": " + err.getMessage());
        }
      }
    }
  }
}
