package tern.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tern.request.RequestError;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job book's transitions on a real (one-member, loopback) Hazelcast: races have one winner. */
class JobBookTest {
  private static HazelcastInstance hz;
  private static JobBook jobs;

  @BeforeAll
  static void startHazelcast() {
    hz = LoopbackHazelcast.start("jobbook");
    jobs = new JobBook(hz.getMap("jobs"), hz.getMap("load"), hz.getCPSubsystem().getAtomicLong("ids"),
        RetentionLimits.parse("7d", "256m", "1000"));
  }

  @AfterAll
  static void stopHazelcast() { hz.shutdown(); }

  private static String newJob(String id, JobState state) {
    jobs.put(new JsonObject().put("id", id).put("state", state.text()).put("node", "n1").put("argv", new io.vertx.core.json.JsonArray()));
    return id;
  }

  @Test
  void aKillAndTheNodesReportOfTheSameDeathEndTheJobOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        String id = newJob("j" + round, JobState.KILLING);
        AtomicInteger wins = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          racers.add(pool.submit(() -> {
            go.await();
            if (jobs.transitionIf(id, j -> "n1".equals(j.getString("node")), JobState.KILLED, j -> j) != null) wins.incrementAndGet();
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : racers) f.get();
        assertEquals(1, wins.get(), "round " + round + ": ends of one job");
        assertEquals("killed", jobs.get(id).getString("state"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTransitionTheStateDoesNotAllowChangesNothingAndSaysWhy() {
    String id = newJob("j-ended", JobState.EXITED);
    assertNull(jobs.transitionIf(id, j -> true, JobState.KILLING, j -> j.put("touched", true)));
    RequestError e = assertThrows(RequestError.class, () -> jobs.transition(id, JobState.MIGRATING, j -> j));
    assertEquals(409, e.status());
    assertTrue(e.getMessage().contains("is exited"), e.getMessage());
    assertEquals(false, jobs.get(id).containsKey("touched"));
  }

  @Test
  void aChangeOfStateOutsideATransitionIsRefused() {
    String id = newJob("j-sneaky", JobState.RUNNING);
    assertThrows(IllegalStateException.class, () -> jobs.update(id, j -> j.put("state", "killed")));
    assertEquals("running", jobs.get(id).getString("state"));
  }

  @Test
  void aKillWinsOverTheCommitOfAMigration() {
    String id = newJob("j-moving", JobState.MIGRATING);
    jobs.update(id, j -> j.put("migrationId", "m1"));
    assertEquals(JobState.MIGRATING, jobs.transition(id, JobState.KILLING, j -> j).was());
    AtomicInteger committed = new AtomicInteger();
    assertNull(jobs.transitionIf(id, j -> "m1".equals(j.getString("migrationId")), JobState.RUNNING, j -> {
      committed.incrementAndGet();
      return j;
    }));
    assertEquals(0, committed.get(), "the commit's side effects never ran");
    assertEquals("killing", jobs.get(id).getString("state"));
  }
}
