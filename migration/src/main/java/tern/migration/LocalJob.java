package tern.migration;

import io.vertx.core.json.JsonObject;
import tern.capsule.Capsule;
import tern.capsule.CapsuleNames;
import tern.protocol.JobSpec;

/** A job this node hosts, as its migrator remembers it across restarts. */
final class LocalJob {
  enum State { RUNNING, MIGRATING_OUT }

  final JobSpec spec;
  final CapsuleNames names;
  volatile long initPid;
  volatile State state = State.RUNNING;
  final long startedAt;
  // sampling
  long lastCpuNanos;
  long lastIoBytes;
  long lastWantedNanos;
  long lastSampleAt;

  LocalJob(JobSpec spec, CapsuleNames names, long initPid, long startedAt) {
    this.spec = spec;
    this.names = names;
    this.initPid = initPid;
    this.startedAt = startedAt;
  }

  Capsule capsule() { return new Capsule(names); }

  JsonObject toJson() {
    return new JsonObject().put("spec", spec.toJson()).put("vip", names.vip()).put("initPid", initPid)
        .put("startedAt", startedAt);
  }

  static LocalJob fromJson(JsonObject j, String node, String cgroupParent) {
    JobSpec spec = JobSpec.fromJson(j.getJsonObject("spec"));
    return new LocalJob(spec, new CapsuleNames(node, spec.id(), j.getString("vip"), cgroupParent),
        j.getLong("initPid"), j.getLong("startedAt"));
  }
}
