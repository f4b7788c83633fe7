package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.api.ExposeRequest;
import tern.api.StartRequest;
import tern.capsule.JobSpec;
import tern.cluster.ClusterNames;
import tern.proxy.Exposures;
import tern.proxy.StdioHub;

import java.util.List;
import java.util.logging.Logger;

/** Remote execution: a new job gets an id, a VIP and a node, and starts there in its capsule. */
final class JobStarter {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  static final String OUTPUT_DIR = "/var/tmp/tern-jobs";
  private final HazelcastInstance hz;
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final NodeClient client;
  private final VipPool vips;
  private final KernelRoutes routes;
  private final Exposures exposures;
  private final StdioHub stdio;
  private final String lanIp;
  private final ClusterPolicy policy;
  private final ClusterView view;

  JobStarter(HazelcastInstance hz, JobBook jobs, NodeDirectory nodes, NodeClient client, VipPool vips, KernelRoutes routes,
             Exposures exposures, StdioHub stdio, String lanIp, ClusterPolicy policy, ClusterView view) {
    this.policy = policy;
    this.view = view;
    this.exposures = exposures;
    this.stdio = stdio;
    this.lanIp = lanIp;
    this.hz = hz;
    this.jobs = jobs;
    this.nodes = nodes;
    this.client = client;
    this.vips = vips;
    this.routes = routes;
  }

  /** The request is valid as it stands (the API checked it); what is checked here is against the cluster's state. */
  JsonObject start(StartRequest request) {
    JsonArray argv = new JsonArray(request.argv());
    long uid = request.uid(), gid = request.gid();
    String cwd = request.cwd();
    for (ExposeRequest e : request.expose()) exposures.check(e.port(), e.publicPort());
    String wanted = request.node();
    NodeDirectory.Node node;
    if (wanted != null) {
      node = nodes.require(wanted);
      if (node.draining()) throw new ApiError(409, "node " + wanted + " is draining and takes no new jobs (tern undrain " + wanted + ")");
    } else {
      ClusterView.Snapshot now = view.take();
      String best = policy.place(now.nodes(), now.jobs(), request.argv())
          .orElseThrow(() -> new ApiError(503, now.nodes().isEmpty() ? "no node is up to run the job" : "every node is draining"));
      node = nodes.require(best);
    }

    String id = "j" + hz.getCPSubsystem().getAtomicLong(ClusterNames.JOB_IDS).incrementAndGet();
    JobSpec spec = new JobSpec(id, request.argv(), cwd, request.env(), uid, gid, OUTPUT_DIR + "/" + id + ".out", null);
    String vip = vips.lease(id);
    boolean interactive = request.interactive();
    String[] tokens = interactive ? stdio.open(id, vip) : null;
    JsonObject specJson = spec.toJson();
    if (interactive) specJson.put("stdio", new JsonObject().put("host", lanIp).put("port", stdio.jobPort()).put("token", tokens[0])
        .put("tty", request.tty() == null ? null : request.tty().toJson()));
    JsonObject job = new JsonObject().put("id", id).put("state", "starting").put("node", node.name()).put("vip", vip)
        .put("argv", argv).put("cwd", cwd).put("uid", uid).put("gid", gid).put("user", request.user())
        .put("output", spec.output()).put("startedAt", System.currentTimeMillis()).put("migrations", 0);
    jobs.put(job);
    try {
      routes.point(vip, node.lanIp());
      JsonObject started = client.call(node.name(), "start", new JsonObject().put("job", specJson).put("vip", vip), 30_000);
      LOG.info("job " + id + " started on " + node.name() + ": " + argv.encode() + " as uid " + uid + ", VIP " + vip);
      // a job that was over at once may already have been reported ended
      jobs.update(id, j -> "starting".equals(j.getString("state"))
          ? j.put("state", "running").put("hostPid", started.getLong("initPid")) : j);
      for (ExposeRequest e : request.expose()) expose(id, e.port(), e.publicPort());
      JsonObject answer = jobs.get(id);
      // the client's stdio token goes to the submitter only, never into the cluster's state
      if (interactive) answer.put("stdio", new JsonObject().put("port", stdio.clientPort()).put("token", tokens[1]));
      return answer;
    } catch (RuntimeException e) {
      routes.remove(vip);
      vips.release(vip, id);
      jobs.update(id, j -> j.put("state", "failed").put("error", e.getMessage()).put("endedAt", System.currentTimeMillis()));
      if (e instanceof ApiError) throw e;
      throw new ApiError(500, "could not start the job on " + node.name() + ": " + e.getMessage());
    }
  }

  /** A job ended on its node: its VIP and route go. */
  void ended(String id, String node, Integer exitCode) {
    JsonObject job;
    try {
      job = jobs.get(id);
    } catch (ApiError e) {
      return;
    }
    String state = job.getString("state");
    if (!node.equals(job.getString("node")) || !List.of("starting", "running", "killing").contains(state)) return;
    exposures.jobEnded(id);
    stdio.ended(id, exitCode);
    if (!"killing".equals(state)) {
      policy.jobEnded(JobBook.argv(job),
          (System.currentTimeMillis() - job.getLong("startedAt", System.currentTimeMillis())) / 1000.0);
    }
    routes.remove(job.getString("vip"));
    vips.release(job.getString("vip"), id);
    jobs.update(id, j -> {
      j.remove("exposed");
      j.put("state", "killing".equals(j.getString("state")) ? "killed" : "exited").put("endedAt", System.currentTimeMillis());
      if (exitCode != null) j.put("exitCode", exitCode);
      return j;
    });
    LOG.info("job " + id + " ended on " + node + (exitCode == null ? "" : " with status " + exitCode));
  }

  /** Opens a public port for the job's PORT; the job's record lists it, so `tern ps` shows it. */
  JsonObject expose(String id, int port, int publicPort) {
    JsonObject job = jobs.get(id);
    if (!List.of("running", "migrating").contains(job.getString("state"))) {
      throw new ApiError(409, "job " + id + " is " + job.getString("state") + ", only a running job can expose a port");
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

  /** After a gateway restart: its listeners are gone, the jobs' records still say what was exposed. */
  void reopenExposures() {
    for (JsonObject job : jobs.all()) {
      if (!"running".equals(job.getString("state"))) continue;
      for (Object o : job.getJsonArray("exposed", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        try {
          exposures.expose(job.getString("id"), job.getString("vip"), e.getInteger("port"), e.getInteger("public"));
        } catch (ApiError err) {
          LOG.warning("could not reopen " + job.getString("id") + " port " + e.getInteger("port") + ": " + err.getMessage());
        }
      }
    }
  }

  JsonObject kill(String id) {
    JsonObject job = jobs.get(id);
    String state = job.getString("state");
    if (!"running".equals(state)) throw new ApiError(409, "job " + id + " is " + state + ", not running");
    jobs.update(id, j -> j.put("state", "killing"));
    try {
      client.call(job.getString("node"), "kill", new JsonObject().put("jobId", id), 30_000);
    } catch (RuntimeException e) {
      jobs.update(id, j -> j.put("state", "running"));
      throw e;
    }
    ended(id, job.getString("node"), 137);
    return jobs.get(id);
  }
}
