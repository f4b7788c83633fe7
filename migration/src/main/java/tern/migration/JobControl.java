package tern.migration;

import tern.capsule.Capsule;
import tern.capsule.CapsuleLauncher;
import tern.capsule.JobProbe;
import tern.protocol.Command;
import tern.protocol.Event;
import tern.protocol.JobSpec;
import tern.protocol.Reply;

import java.util.List;
import java.util.logging.Logger;

/** Starting and ending jobs on this node. */
final class JobControl {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private final LocalNode node;
  private final Acceptor acceptor;

  JobControl(LocalNode node, Acceptor acceptor) {
    this.node = node;
    this.acceptor = acceptor;
  }

  Reply.Started start(Command.Start cmd) {
    JobSpec spec = cmd.job();
    String vip = cmd.vip();
    synchronized (node.lock(spec.id())) {
      if (node.jobs.containsKey(spec.id())) throw new Refusal(409, "job " + spec.id() + " already runs on " + node.cfg.node());
      Capsule capsule = new Capsule(node.names(spec.id(), vip));
      capsule.create(true);
      try {
        long init = CapsuleLauncher.start(capsule, spec);
        node.remember(new LocalJob(spec, capsule.names(), init, System.currentTimeMillis()));
        LOG.info("started " + spec.id() + " (" + String.join(" ", spec.argv()) + ") as uid " + spec.uid()
            + ", init pid " + init + ", VIP " + vip);
        return new Reply.Started(init, node.cfg.node());
      } catch (RuntimeException e) {
        LocalNode.killAll(capsule.names().cgroup());
        capsule.destroy();
        throw e;
      }
    }
  }

  Reply.Killed kill(Command.Kill cmd) {
    String id = cmd.jobId();
    synchronized (node.lock(id)) {
      // restored here by a migration that committed, not yet resumed: the kill wins over the resume
      if (!node.jobs.containsKey(id) && acceptor.killIncoming(id)) return new Reply.Killed(id);
      LocalJob job = node.job(id);
      if (job.state != LocalJob.State.RUNNING) throw new Refusal(409, "job " + id + " is being migrated; kill it afterwards");
      LocalNode.killAll(job.names.cgroup());
      ended(job, 128 + 9);
      return new Reply.Killed(id);
    }
  }

  /** What this node holds, for the gateway to reconcile its records with: its jobs, and those arriving. */
  Reply.HeldJobs jobs() {
    return new Reply.HeldJobs(List.copyOf(node.jobs.keySet()), acceptor.incomingJobs());
  }

  /** A signal from the user (Ctrl-C on an interactive client): tini passes it to the job's process group. */
  Reply.Signalled signal(Command.Signal cmd) {
    String id = cmd.jobId();
    int sig = cmd.signal();
    if (sig < 1 || sig > 64) throw new Refusal(400, "bad signal " + sig);
    LocalJob job = node.job(id);
    if (job.state != LocalJob.State.RUNNING) throw new Refusal(409, "job " + id + " is being migrated; signal it afterwards");
    LocalNode.signal("-" + sig, java.util.List.of(job.initPid));
    return new Reply.Signalled(id, sig);
  }

  /** Called by the sampler when a job's init is gone. */
  void reapIfEnded(LocalJob job) {
    synchronized (node.lock(job.spec.id())) {
      if (job.state != LocalJob.State.RUNNING || JobProbe.alive(job.initPid) || node.jobs.get(job.spec.id()) != job) return;
      // the job's shell wrote its status before the init could end; none when the shell itself was killed
      Integer exit = job.spec.exitStatus();
      LocalNode.killAll(job.names.cgroup());
      ended(job, exit);
    }
  }

  private void ended(LocalJob job, Integer exit) {
    job.capsule().destroy();
    LocalNode.deleteTree(CapsuleLauncher.initDir(job.spec));
    node.forget(job.spec.id());
    LOG.info("job " + job.spec.id() + " ended" + (exit == null ? "" : " with status " + exit));
    node.publish(new Event.JobEnded(node.cfg.node(), job.spec.id(), exit));
  }
}
