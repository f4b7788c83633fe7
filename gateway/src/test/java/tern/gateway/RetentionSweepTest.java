package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tern.request.RequestError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep on a real (loopback) Hazelcast and a real output directory: what goes, what stays, and what a removed job answers. */
class RetentionSweepTest {
  private static final long NOW = System.currentTimeMillis();
  /** Kept 10 s, at most 10 ended jobs, 100 KiB of output. */
  private static final RetentionLimits LIMITS = new RetentionLimits(10_000, 100 * 1024, 10);
  private static final AtomicInteger BOOKS = new AtomicInteger();
  private static HazelcastInstance hz;
  @TempDir Path dir;
  private JobBook jobs;
  private RetentionSweep sweep;

  @BeforeAll
  static void startHazelcast() { hz = LoopbackHazelcast.start("retention"); }

  @AfterAll
  static void stopHazelcast() { hz.shutdown(); }

  @BeforeEach
  void newBook() {
    int n = BOOKS.incrementAndGet();
    jobs = new JobBook(hz.getMap("jobs" + n), hz.getMap("load" + n), hz.getCPSubsystem().getAtomicLong("ids" + n), LIMITS);
    sweep = new RetentionSweep(jobs, new JobFiles(dir), LIMITS);
  }

  /** A job record as the gateway keeps it, with its files: its output of {@code bytes}, its status and its init directory. */
  private String job(JobState state, Long endedSecondsAgo, int bytes) throws IOException {
    String id = jobs.newId();
    JsonObject j = new JsonObject().put("id", id).put("state", state.text()).put("node", "n1").put("argv", new JsonArray());
    if (endedSecondsAgo != null) j.put("endedAt", NOW - endedSecondsAgo * 1000);
    jobs.put(j);
    files(id, bytes);
    return id;
  }

  private void files(String id, int bytes) throws IOException {
    Files.write(dir.resolve(id + ".out"), new byte[bytes]);
    Files.writeString(dir.resolve(id + ".out.status"), "0\n");
    Files.createDirectories(dir.resolve(id + ".init"));
    Files.writeString(dir.resolve(id + ".init/tern-pty.py"), "# relay\n");
  }

  private Set<String> names() throws IOException {
    try (var s = Files.list(dir)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void anEndedJobPastItsTimeLosesRecordAndFilesWhileRunningAndRecentOnesKeepTheirs() throws IOException {
    String old = job(JobState.EXITED, 11L, 100);
    String running = job(JobState.RUNNING, null, 5000);
    String recent = job(JobState.KILLED, 9L, 10);
    sweep.sweep(NOW);
    assertEquals(Set.of(running + ".out", running + ".out.status", running + ".init", recent + ".out", recent + ".out.status",
        recent + ".init"), names());
    assertEquals("running", jobs.get(running).getString("state"));
    assertEquals("killed", jobs.get(recent).getString("state"));
    RequestError gone = assertThrows(RequestError.class, () -> jobs.get(old));
    assertEquals(410, gone.status(), gone.getMessage());
    assertTrue(gone.getMessage().contains("ended and was removed") && gone.getMessage().contains("--keep-ended"), gone.getMessage());
    assertEquals(1L, sweep.status().getJsonObject("removedJobs").getLong("age"), sweep.status().encode());
    assertEquals(100 + 2 + 8L, sweep.status().getLong("removedBytes"), "output, status and init directory");
    assertEquals(5000 + 10 + 2 * (2 + 8L), sweep.status().getLong("outputBytes"));
  }

  @Test
  void aJobNeverGivenIsUnknownNotRemoved() {
    RequestError e = assertThrows(RequestError.class, () -> jobs.get("j999"));
    assertEquals(404, e.status(), e.getMessage());
  }

  @Test
  void outputOverTheBudgetTakesTheOldestEndedJobsButNeverARunningOne() throws IOException {
    String running = job(JobState.RUNNING, null, 60 * 1024);
    String older = job(JobState.EXITED, 3L, 30 * 1024);
    String newer = job(JobState.FAILED, 2L, 30 * 1024);
    sweep.sweep(NOW);
    assertThrows(RequestError.class, () -> jobs.get(older));
    assertEquals("failed", jobs.get(newer).getString("state"));
    assertTrue(sweep.status().getLong("outputBytes") <= LIMITS.keepOutputBytes(), sweep.status().encode());

    // the running job grows past the budget alone: the last ended output goes, the running one stays whole
    Files.write(dir.resolve(running + ".out"), new byte[200 * 1024]);
    sweep.sweep(NOW);
    assertThrows(RequestError.class, () -> jobs.get(newer));
    assertEquals(Set.of(running + ".out", running + ".out.status", running + ".init"), names());
    assertEquals(200 * 1024L, Files.size(dir.resolve(running + ".out")));
  }

  @Test
  void anEndedJobAMigrationStillHasToReleaseStays() throws IOException {
    String id = job(JobState.EXITED, 60L, 10);
    jobs.update(id, j -> j.put("releasePending", true));
    sweep.sweep(NOW);
    assertEquals("exited", jobs.get(id).getString("state"));
    assertTrue(names().contains(id + ".out"));
  }

  @Test
  void filesWithoutARecordGoByTheirAgeAndAHalfRemovedJobIsFinishedByTheNextSweep() throws IOException {
    // what a gateway killed between a record and its files leaves: files only (here a status and an init directory)
    Files.writeString(dir.resolve("j7.out.status"), "0\n");
    Files.createDirectories(dir.resolve("j7.init"));
    Files.setLastModifiedTime(dir.resolve("j7.out.status"), FileTime.fromMillis(NOW - 60_000));
    Files.setLastModifiedTime(dir.resolve("j7.init"), FileTime.fromMillis(NOW - 60_000));
    // recent leftovers stay until they are old enough
    files("j8", 10);
    Files.writeString(dir.resolve("notes.txt"), "not a job's");
    sweep.sweep(NOW);
    assertEquals(Set.of("j8.init", "j8.out", "j8.out.status", "notes.txt"), names());
    sweep.sweep(NOW + 60_000);
    assertEquals(Set.of("notes.txt"), names());
  }

  @Test
  void aLinkAJobPlantedIsRemovedItselfAndNeitherFollowedNorMeasured(@TempDir Path outside) throws IOException {
    Path precious = Files.writeString(outside.resolve("precious"), "x".repeat(1000));
    Files.createSymbolicLink(dir.resolve("j3.out"), precious);
    Files.createSymbolicLink(dir.resolve("j3.init"), outside);
    Files.setLastModifiedTime(dir, FileTime.fromMillis(NOW));
    sweep.sweep(NOW + 3_600_000);
    assertEquals(Set.of(), names());
    assertEquals(List.of("precious"), Files.list(outside).map(p -> p.getFileName().toString()).toList());
    assertEquals(1000, Files.size(precious));
    assertEquals(0L, sweep.status().getLong("removedBytes"), "a link's target is not the job's output");
  }

  @Test
  void aJobThatTookTheIdSinceThePlanKeepsItsRecordAndFiles() throws IOException {
    // planned from stale reads: files of an earlier cluster's j1 (no record then), or j1 ended at another time
    String id = job(JobState.EXITED, 1L, 10);
    assertEquals(false, jobs.removeEnded(id, null), "planned as having no record, but it has one now");
    assertEquals(false, jobs.removeEnded(id, NOW - 60_000), "planned as ending at another time");
    assertEquals("exited", jobs.get(id).getString("state"));
    assertEquals(false, new JobFiles(dir).remove(id, NOW - 60_000), "its files were written after the listing");
    assertTrue(names().contains(id + ".out"));
    assertEquals(true, jobs.removeEnded(id, NOW - 1000));
    assertEquals(true, new JobFiles(dir).remove(id, Long.MAX_VALUE));
    assertEquals(Set.of(), names());
  }
}
