package tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import tern.protocol.Command;
import tern.protocol.JobSpec;
import tern.protocol.Reply;
import tern.proxy.StdioHub;
import tern.request.ExposeRequest;
import tern.request.RequestError;
import tern.request.StartRequest;

import java.util.logging.Logger;

/**
 * How a job's life begins (remote execution): it gets an id, a VIP and a node, and starts there in its
 * capsule with the ports it asked for; a start that fails ends it, once (through {@link JobEndings}).
 */
final class JobStarts {
  private static final Logger LOG = Logger.getLogger("tern.gateway");
  static final String OUTPUT_DIR = "/var/tmp/tern-jobs";
  private final JobBook jobs;
  private final NodeDirectory nodes;
  private final NodeClient client;
  private final VipPool vips;
  private final KernelRoutes routes;
  private final StdioHub stdio;
  private final ClusterPolicy policy;
  private final ClusterView view;
  private final JobEndings endings;
  private final JobPorts ports;

  JobStarts(JobBook jobs, NodeDirectory nodes, NodeClient client, VipPool vips, KernelRoutes routes,
             StdioHub stdio, ClusterPolicy policy, ClusterView view, JobEndings endings, JobPorts ports) {
    this.endings = endings;
    this.ports = ports;
    this.policy = policy;
    this.view = view;
    this.stdio = stdio;
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
    for (ExposeRequest e : request.expose()) ports.check(e.port(), e.publicPort());
    String wanted = request.node();
    NodeDirectory.Node node;
    if (wanted != null) {
      node = nodes.require(wanted);
      if (node.draining()) throw new RequestError(409, "node " + wanted + " is draining and takes no new jobs (tern undrain " + wanted + ")");
      if (!node.ready()) throw new RequestError(503, "node " + wanted + " is starting (its migrator takes no job yet); try again in a second");
    } else {
      ClusterView.Snapshot now = view.take();
      String best = policy.place(now.nodes(), now.jobs(), request.argv())
          .orElseThrow(() -> new RequestError(503, now.nodes().isEmpty() ? "no node is up to run the job" : "every node is draining or starting"));
      node = nodes.require(best);
    }

    String id = jobs.newId();
    String vip = vips.lease(id);
    boolean interactive = request.interactive();
    String[] tokens = interactive ? stdio.open(id, vip) : null;
    JobSpec spec = new JobSpec(id, request.argv(), cwd, request.env(), uid, gid, OUTPUT_DIR + "/" + id + ".out",
        interactive ? new JobSpec.Stdio(stdio.jobHost(), stdio.jobPort(), tokens[0], request.tty()) : null);
    JsonObject job = new JsonObject().put("id", id).put("state", JobState.STARTING.text()).put("node", node.name()).put("vip", vip)
        .put("argv", argv).put("cwd", cwd).put("uid", uid).put("gid", gid).put("user", request.user())
        .put("output", spec.output()).put("startedAt", System.currentTimeMillis()).put("migrations", 0)
        // it may probe the CPU it starts on and use what it finds, wherever it moves later
        .put("startNode", node.name()).put("startCpu", node.cpu().toJson());
    jobs.put(job);
    routes.point(vip, node.lanIp());
    Reply.Started started;
    try {
      started = client.call(node.name(), new Command.Start(spec, vip), 30_000);
    } catch (RequestError refused) {
      // the node refused, or failed before the job's process began (it removes what it made itself)
      notStarted(job, refused.getMessage());
      if (refused.status() < 500) throw refused;
      throw new RequestError(500, "could not start the job on " + node.name() + ": " + refused.getMessage());
    } catch (NodeClient.NodeFailure lost) {
      // whether the process began is unknown: take it that it did, so it is gone before its VIP is free
      failAfterStart(id, node.name(), lost.getMessage());
      throw new RequestError(502, "could not start the job on " + node.name() + ": " + lost.getMessage());
    }
    LOG.info("job " + id + " started on " + node.name() + ": " + argv.encode() + " as uid " + uid + ", VIP " + vip);
    // a job that was over at once may already have been reported ended, and one may have been killed meanwhile
    if (jobs.transitionIf(id, j -> true, JobState.RUNNING, j -> j.put("hostPid", started.initPid())) == null
        && JobState.of(jobs.get(id)) == JobState.KILLING) {
      endQuietly(id, node.name());
      return jobs.get(id);
    }
    try {
      for (ExposeRequest e : request.expose()) ports.expose(id, e.port(), e.publicPort());
    } catch (RuntimeException e) {
      failAfterStart(id, node.name(), "its ports could not be exposed: " + e.getMessage());
      if (e instanceof RequestError) throw e;
      throw new RequestError(500, "could not expose the ports of " + id + ": " + e.getMessage());
    }
    JsonObject answer = jobs.get(id);
    // the client's stdio token goes to the submitter only, never into the cluster's state
    if (interactive) answer.put("stdio", new JsonObject().put("port", stdio.clientPort()).put("token", tokens[1]));
    return answer;
  }

  /** The node has no process of the job: it fails, and its VIP is free at once. */
  private void notStarted(JsonObject job, String why) {
    JobBook.Change c = jobs.transitionIf(job.getString("id"), j -> true, JobState.FAILED,
        j -> j.put("error", why).put("endedAt", System.currentTimeMillis()));
    if (c != null) endings.release(c.after());
  }

  /** The job's process (perhaps) began: it is ended as failed, and its VIP is freed only once the process is gone. */
  private void failAfterStart(String id, String node, String why) {
    LOG.warning("start of " + id + " on " + node + " failed after its process began (" + why + "): ending it");
    if (jobs.transitionIf(id, j -> true, JobState.KILLING, j -> j.put("startError", why)) != null) endQuietly(id, node);
  }

  /** After a gateway restart: a start its former self left under way has no one to answer; it fails, and its process ends. */
  void settleOrphans() {
    for (JsonObject job : jobs.active()) {
      if (JobState.of(job) == JobState.STARTING) {
        failAfterStart(job.getString("id"), job.getString("node"), "the gateway restarted while starting it");
      }
    }
  }

  private void endQuietly(String id, String node) {
    try {
      endings.killOnNode(id, node);
    } catch (RequestError pending) {
      LOG.warning(pending.getMessage());
    }
  }
}
