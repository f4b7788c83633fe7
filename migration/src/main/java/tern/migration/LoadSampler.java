package tern.migration;

import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import tern.capsule.Cgroups;
import tern.capsule.JobProbe;
import tern.os.MemInfo;
import tern.util.Util;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Once a second: each job's CPU use, memory and local I/O, and the node's load, into the cluster's maps. */
final class LoadSampler implements Runnable {
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  private static final int TTL_SECONDS = 10;
  private final LocalNode node;
  private final JobControl control;
  private final IMap<String, String> jobLoad;
  private final IMap<String, String> nodeLoad;
  private final String member;

  /**
   * member: this migrator's cluster member id. Its samples carry it, and the gateway lists the node as
   * up only once a sample of its current member has come: the sampler starts after the migrator's
   * handlers are registered, so a node listed up takes commands.
   */
  LoadSampler(LocalNode node, JobControl control, IMap<String, String> jobLoad, IMap<String, String> nodeLoad, String member) {
    this.member = member;
    this.node = node;
    this.control = control;
    this.jobLoad = jobLoad;
    this.nodeLoad = nodeLoad;
  }

  @Override public void run() {
    double used = 0;
    int running = 0;
    long now = System.nanoTime();
    for (LocalJob job : List.copyOf(node.jobs.values())) {
      if (job.state != LocalJob.State.RUNNING) continue;
      if (!JobProbe.alive(job.initPid)) {
        control.reapIfEnded(job);
        continue;
      }
      List<Long> pids = Cgroups.pids(job.names.cgroup());
      long cpu = Cgroups.cpuNanos(job.names.cgroup());
      long io = JobProbe.ioBytes(pids);
      long wanted = JobProbe.cpuWantedNanos(pids);
      double secs = job.lastSampleAt == 0 ? 0 : (now - job.lastSampleAt) / 1e9;
      double cpuShare = secs > 0 ? Math.max(0, cpu - job.lastCpuNanos) / 1e9 / secs : 0;
      double ioRate = secs > 0 ? Math.max(0, io - job.lastIoBytes) / secs : 0;
      double cpuDemand = Math.max(cpuShare, secs > 0 ? Math.max(0, wanted - job.lastWantedNanos) / 1e9 / secs : 0);
      List<String> devices = JobProbe.localDevices(pids);
      job.lastCpuNanos = cpu;
      job.lastIoBytes = io;
      job.lastWantedNanos = wanted;
      job.lastSampleAt = now;
      used += cpuShare;
      running++;
      JsonObject load = new JsonObject().put("node", node.cfg.node())
          .put("rssBytes", JobProbe.rssBytes(pids)).put("anonBytes", JobProbe.anonBytes(pids))
          .put("hostPid", job.initPid).put("processes", pids.size()).put("sampledAt", System.currentTimeMillis());
      // a new (or newly restored) job has no rates yet: without them the cluster counts it as a job
      // just placed (wanting a CPU), not as one that wants nothing
      if (secs > 0) load.put("cpu", Util.round(cpuShare)).put("cpuDemand", Util.round(cpuDemand)).put("ioBytesPerSecond", Math.round(ioRate));
      if (!devices.isEmpty()) load.put("localDevice", devices.get(0));
      jobLoad.set(job.spec.id(), load.encode(), TTL_SECONDS, TimeUnit.SECONDS);
    }
    long memTotal = MemInfo.totalBytes();
    JsonObject n = new JsonObject().put("cpuCapacity", node.cfg.cpu()).put("cpuUsed", Util.round(used))
        .put("memTotalBytes", memTotal).put("memUsedBytes", memTotal - MemInfo.availableBytes())
        .put("jobs", running).put("link", node.cfg.link()).put("lanIp", node.cfg.lanIp())
        // what Tern itself costs the node (a 1990s-class PC had 16-64 MB): `tern nodes -o json`, the metrics
        .put("migratorRssBytes", MemInfo.selfRssBytes())
        .put("member", member).put("sampledAt", System.currentTimeMillis());
    // signed: the gateway takes a member as a node only when it proves it holds the cluster secret
    nodeLoad.set(node.cfg.node(), node.secret.sign(n).encode(), TTL_SECONDS, TimeUnit.SECONDS);
  }
}
