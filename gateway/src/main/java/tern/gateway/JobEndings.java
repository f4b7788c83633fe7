package tern.gateway;

import io.vertx.core.json.JsonObject;
import tern.protocol.Command;
import tern.protocol.Reply;
import tern.proxy.Exposures;
import tern.proxy.StdioHub;
import tern.request.RequestError;
import tern.util.Util;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * How a job's life ends: its own exit, a kill, a start that failed. Each ends it exactly once (the
 * transition to an ended state is atomic, so a kill and the node's report of the same death do not
 * both count), and its VIP is freed only once its processes are gone. A kill reaches whoever holds
 * the job: its node, or the start or migration under way, which ends it when it is done.
 */
final class JobEndings {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  /** How long a kill waits for the job to be gone before it answers with the job still "killing". */
  private static final long KILL_WAIT_MS = 30_000;
  private final JobBook jobs;
  private final NodeClient client;
  private final KernelRoutes routes;
  private final VipPool vips;
  private final Exposures exposures;
  private final StdioHub stdio;
  private final ClusterPolicy policy;

  JobEndings(JobBook jobs, NodeClient client, KernelRoutes routes, VipPool vips, Exposures exposures, StdioHub stdio,
             ClusterPolicy policy) {
    this.jobs = jobs;
    this.client = client;
    this.routes = routes;
    this.vips = vips;
    this.exposures = exposures;
    this.stdio = stdio;
    this.policy = policy;
  }

  /** tern kill: the kill wins over whatever the job is doing; answers once it is gone (or after a while, still killing). */
  JsonObject kill(String id) {
    JobBook.Change c = jobs.transitionIf(id, j -> true, JobState.KILLING, j -> j.put("killRequestedAt", System.currentTimeMillis()));
    JsonObject job = c != null ? c.after() : jobs.get(id);
    JobState state = JobState.of(job);
    if (state.ended()) throw new RequestError(409, "job " + id + " has already " + endedVerb(state));
    JobState was = c != null ? c.was() : JobState.KILLING;
    // a start or a migration under way holds the job: it ends it when it is done
    if (was == JobState.RUNNING || was == JobState.RECOVERING || (was == JobState.KILLING && job.getBoolean("killPending", false))) {
      killOnNode(id, job.getString("node"));
    }
    return awaitEnd(id);
  }

  private JsonObject awaitEnd(String id) {
    long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
    while (true) {
      JsonObject job = jobs.get(id);
      if (JobState.of(job).ended() || System.currentTimeMillis() > deadline) return job;
      Util.sleep(100);
      if (Thread.currentThread().isInterrupted()) return job;
    }
  }

  /**
   * Ends the job's processes on its node (the job is KILLING). If the node cannot be reached, the
   * kill is pending: it is done when the node is back ({@link #reconcile}).
   */
  void killOnNode(String id, String node) {
    try {
      client.call(node, new Command.Kill(id), 30_000);
      ended(id, node, 128 + 9);
    } catch (RequestError e) {
      if (e.status() == 404) {
        ended(id, node, null);  // not there any more: it ended while nobody listened
        return;
      }
      pending(id, node, e.getMessage());
      throw e;
    } catch (NodeClient.NodeFailure e) {
      pending(id, node, e.getMessage());
      throw new RequestError(502, "could not kill " + id + " on " + node + " (" + e.getMessage() + "); the kill is carried out when "
          + node + " is back");
    }
  }

  private void pending(String id, String node, String why) {
    LOG.warning("kill of " + id + " on " + node + " is pending: " + why);
    jobs.update(id, j -> j.put("killPending", true));
  }

  /**
   * The job's processes are gone from {@code node} (its node said so, or a kill finished): it ends,
   * once. A job that ends in the middle of a migration is released by the migration's coordinator,
   * which still has an acceptor to clean up first.
   */
  void ended(String id, String node, Integer exitCode) {
    JobBook.Change c;
    try {
      c = jobs.transitionIf(id, j -> node.equals(j.getString("node")),
          j -> JobState.of(j) != JobState.KILLING ? JobState.EXITED : j.containsKey("startError") ? JobState.FAILED : JobState.KILLED,
          j -> {
            // a migration under way releases it once its acceptor is clean
            if (JobState.of(j) == JobState.MIGRATING) j.put("releasePending", true);
            j.remove("exposed");
            j.remove("killPending");
            j.put("endedAt", System.currentTimeMillis());
            if (exitCode != null) j.put("exitCode", exitCode);
            if (j.containsKey("startError")) j.put("error", j.remove("startError"));
            return j;
          });
    } catch (RequestError unknown) {
      return;
    }
    if (c == null) return;  // ended already, or the report is about a node the job has left
    JobState now = JobState.of(c.after());
    if (now == JobState.EXITED) {
      policy.jobEnded(JobBook.argv(c.before()), (System.currentTimeMillis() - c.before().getLong("startedAt", System.currentTimeMillis())) / 1000.0);
    }
    if (c.was() != JobState.MIGRATING) release(c.after());
    LOG.info("job " + id + " ended (" + now.text() + ") on " + node + (exitCode == null ? "" : " with status " + exitCode));
  }

  /** An ended job's hold on the gateway: its ports, its stdio, its route and its VIP (last, so no new job meets its route). */
  void release(JsonObject job) {
    String id = job.getString("id");
    exposures.jobEnded(id);
    stdio.ended(id, job.getInteger("exitCode"));
    routes.remove(job.getString("vip"));
    vips.release(job.getString("vip"), id);
  }

  /** A donor restored the job after a migration that did not commit: it runs there, unless it was killed meanwhile. */
  void resumed(String id, String node, String migrationId) {
    JobBook.Change c;
    try {
      c = jobs.transitionIf(id, j -> JobState.of(j) == JobState.RECOVERING || migrationId.equals(j.getString("migrationId")),
          JobState.RUNNING, j -> {
            j.put("node", node).remove("note");
            j.remove("migrationId");
            return j;
          });
    } catch (RequestError unknown) {
      return;
    }
    if (c != null) {
      LOG.info("job " + id + " resumed on " + node + " after migration " + migrationId + " failed");
      return;
    }
    JsonObject job = jobs.get(id);
    if (JobState.of(job) == JobState.KILLING && !job.containsKey("migrationId")) {
      jobs.update(id, j -> j.put("node", node));
      LOG.info("job " + id + " resumed on " + node + " after migration " + migrationId + ", but it was killed meanwhile: ending it");
      try {
        killOnNode(id, node);
      } catch (RequestError e) {
        LOG.warning(e.getMessage());
      }
    }
  }

  /**
   * Brings the records of a node's jobs in line with what the node holds: a job that ended while
   * nobody listened (the gateway was down) ends now; a kill that could not reach the node is done now.
   */
  void reconcile(String node) {
    // the records first: a job that arrives on the node after its answer must not look gone
    List<JsonObject> records = jobs.active().stream()
        .filter(j -> node.equals(j.getString("node")) && !j.containsKey("migrationId")).toList();
    Reply.HeldJobs held;
    try {
      held = client.call(node, new Command.Jobs(), 30_000);
    } catch (RuntimeException e) {
      LOG.warning("could not reconcile the jobs of " + node + ": " + e.getMessage());
      return;
    }
    Set<String> there = new HashSet<>(held.jobs());
    there.addAll(held.incoming());
    for (JsonObject job : records) {
      String id = job.getString("id");
      JobState state = JobState.of(job);
      try {
        if (state == JobState.KILLING && job.getBoolean("killPending", false)) {
          killOnNode(id, node);
        } else if (state == JobState.RUNNING && !there.contains(id)) {
          LOG.info("job " + id + " is no longer on " + node + ": it ended while the gateway was not listening");
          ended(id, node, null);
        }
      } catch (RuntimeException e) {
        LOG.warning("reconciling " + id + " on " + node + ": " + e.getMessage());
      }
    }
  }

  private static String endedVerb(JobState s) {
    return switch (s) {
      case KILLED -> "been killed";
      case FAILED -> "failed";
      default -> "exited";
    };
  }
}
