package tern.gateway;

import io.vertx.core.json.JsonObject;
import tern.protocol.MigrationState;
import tern.protocol.Protocol;
import tern.protocol.Reply;

import java.util.function.Supplier;

/** One migration as the cluster's history keeps it: its outcome, and what each phase took. */
final class MigrationRecord {
  final String id;
  final String jobId;
  final String from;
  final String to;
  final long startedAt = System.currentTimeMillis();
  final JsonObject phases = new JsonObject();
  private volatile MigrationState state = MigrationState.RUNNING;
  volatile String error;
  volatile long anonBytes;
  volatile long freezeMs = -1;
  volatile double linkBytesPerSecond;
  volatile Reply.Dumped dump;
  volatile Reply.JobDescription job;
  /** The step in progress (the history shows it while the migration runs). */
  volatile String phase;
  /** The freeze the learned cost model predicted from the job's memory and the link (-1: none yet). */
  volatile long predictedFreezeMs = -1;
  /** Every step of the migration is done (a committed one still has its resume and discard to come). */
  volatile boolean settled;

  MigrationRecord(String id, String jobId, String from, String to) {
    this.id = id;
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  MigrationState state() { return state; }

  /** The migration's outcome, once; a second outcome is a bug in the coordinator. */
  void end(MigrationState outcome, String why) {
    if (!state.canBecome(outcome)) {
      throw new IllegalStateException("migration " + id + " is " + state.text() + ", it cannot become " + outcome.text());
    }
    state = outcome;
    error = why;
    settled = outcome != MigrationState.COMMITTED;
  }

  /** Runs one phase and records its duration, also when it fails. */
  <T> T phase(String name, Supplier<T> work) {
    long t0 = System.nanoTime();
    try {
      return work.get();
    } finally {
      phases.put(name, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** What the API and the logs show: everything but the job's description (it holds the submitter's environment). */
  JsonObject summary() {
    JsonObject j = toJson();
    j.remove("job");
    j.remove("settled");
    return j;
  }

  /** What the cluster keeps: a recovering acceptor needs the job's description. */
  JsonObject toJson() {
    JsonObject j = new JsonObject().put("id", id).put("jobId", jobId).put("from", from).put("to", to)
        .put("state", state.text()).put("startedAt", startedAt).put("phasesMs", phases.copy()).put("anonBytes", anonBytes);
    if (freezeMs >= 0) j.put("freezeMs", freezeMs);
    if (predictedFreezeMs >= 0) j.put("predictedFreezeMs", predictedFreezeMs);
    if (phase != null && state == MigrationState.RUNNING) j.put("phase", phase);
    if (linkBytesPerSecond > 0) j.put("linkBytesPerSecond", linkBytesPerSecond);
    if (dump != null) {
      j.put("dumpMs", dump.dumpMs()).put("transferMs", dump.transferMs())
          .put("imageBytes", dump.imageBytes()).put("bytesMoved", dump.wireBytes());
    }
    if (job != null) j.put("job", Protocol.fields(job));
    if (error != null) j.put("error", error);
    return j.put("settled", settled);
  }
}
