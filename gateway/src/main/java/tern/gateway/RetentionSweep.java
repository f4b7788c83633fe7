package tern.gateway;

import io.vertx.core.json.JsonObject;
import tern.util.Periodic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Now and then, on its own thread: removes the ended jobs {@link RetentionPlan} picks, each its record
 * first and then its files. A gateway killed between the two leaves files without a record, which the
 * next sweep counts as an ended job (ended when they were last written) and removes in turn; a record
 * without its files reads as an empty output. Either way nothing half-removed stands in a restart's way.
 */
final class RetentionSweep {
  private static final Logger LOG = Logger.getLogger("tern.retention");
  private final JobBook jobs;
  private final JobFiles files;
  private final RetentionLimits limits;
  private final Map<RetentionPlan.Reason, AtomicLong> removed = new EnumMap<>(RetentionPlan.Reason.class);
  private final AtomicLong removedBytes = new AtomicLong();
  private volatile long keptBytes;

  RetentionSweep(JobBook jobs, JobFiles files, RetentionLimits limits) {
    this.jobs = jobs;
    this.files = files;
    this.limits = limits;
    for (RetentionPlan.Reason r : RetentionPlan.Reason.values()) removed.put(r, new AtomicLong());
  }

  /** A fifth of the time an ended job is kept, between 1 s and a minute: a job outlives its time by at most that. */
  long periodMillis() { return Math.max(1_000, Math.min(60_000, limits.keepEndedMillis() / 5)); }

  void start() {
    Periodic.start("retention", periodMillis(), periodMillis(), TimeUnit.MILLISECONDS, LOG, "the retention sweep",
        () -> sweep(System.currentTimeMillis()));
  }

  void sweep(long now) {
    // the files before the records: a job's record is written before its node makes its files, so a
    // file listed here whose record is missing below belongs to a job that was removed (or to an earlier cluster)
    Map<String, JobFiles.Usage> usage = files.list();
    Map<String, JsonObject> records = new HashMap<>();
    for (JsonObject j : jobs.records()) records.put(j.getString("id"), j);
    List<RetentionPlan.Ended> ended = new ArrayList<>();
    long runningBytes = 0;
    for (JsonObject j : records.values()) {
      String id = j.getString("id");
      long bytes = usage.containsKey(id) ? usage.get(id).bytes() : 0;
      if (JobBook.removable(j)) ended.add(new RetentionPlan.Ended(id, j.getLong("endedAt"), bytes));
      else runningBytes += bytes;
    }
    usage.forEach((id, u) -> {
      if (!records.containsKey(id)) ended.add(new RetentionPlan.Ended(id, u.modifiedAt(), u.bytes()));
    });
    long kept = runningBytes;
    for (RetentionPlan.Ended e : ended) kept += e.bytes();
    Map<RetentionPlan.Reason, long[]> orphans = new EnumMap<>(RetentionPlan.Reason.class);
    for (RetentionPlan.Removal r : RetentionPlan.of(ended, runningBytes, now, limits)) {
      RetentionPlan.Ended e = r.job();
      JsonObject record = records.get(e.id());
      JobFiles.Usage listed = usage.get(e.id());
      // the plan stands on what was read before it: a job that has since taken the id (a new cluster's ids
      // start again) keeps its record, and files written since the listing are left to the next sweep
      if (!jobs.removeEnded(e.id(), record == null ? null : record.getLong("endedAt"))) continue;
      if (!files.remove(e.id(), listed == null ? 0 : listed.modifiedAt())) continue;
      kept -= e.bytes();
      removed.get(r.reason()).incrementAndGet();
      removedBytes.addAndGet(e.bytes());
      if (record != null) {
        LOG.info("removed ended job " + e.id() + " (" + e.bytes() + " bytes of output, ended " + (now - e.endedAt()) / 1000
            + " s ago): " + why(r.reason()));
      } else {
        long[] n = orphans.computeIfAbsent(r.reason(), k -> new long[2]);
        n[0]++;
        n[1] += e.bytes();
      }
    }
    // files without a record are left by a gateway killed in the middle of a removal, or by a cluster
    // that lost its state: there may be thousands, so they are logged together
    orphans.forEach((reason, n) -> LOG.info("removed the files of " + n[0] + " jobs that have no record (" + n[1]
        + " bytes of output): " + why(reason)));
    keptBytes = kept;
    if (runningBytes > limits.keepOutputBytes()) {
      LOG.warning("running jobs' output alone (" + runningBytes + " bytes) exceeds --keep-output (" + limits.keepOutputBytes()
          + " bytes): no ended job's output is kept, and a running job's output is never cut");
    }
  }

  private String why(RetentionPlan.Reason reason) {
    return switch (reason) {
      case AGE -> "it ended over " + limits.keepEndedMillis() / 1000 + " s ago (--keep-ended)";
      case COUNT -> "over " + limits.keepEndedJobs() + " ended jobs are kept (--keep-ended-jobs)";
      case SIZE -> "jobs' output exceeds " + limits.keepOutputBytes() + " bytes (--keep-output)";
    };
  }

  /** What the sweeps did since the gateway started, and the output kept at the last one (for the metrics). */
  JsonObject status() {
    JsonObject byReason = new JsonObject();
    removed.forEach((r, n) -> byReason.put(r.name().toLowerCase(java.util.Locale.ROOT), n.get()));
    return new JsonObject().put("removedJobs", byReason).put("removedBytes", removedBytes.get()).put("outputBytes", keptBytes)
        .put("keepOutputBytes", limits.keepOutputBytes()).put("keepEndedSeconds", limits.keepEndedMillis() / 1000)
        .put("keepEndedJobs", limits.keepEndedJobs());
  }
}
