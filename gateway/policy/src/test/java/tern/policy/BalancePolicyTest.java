package tern.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BalancePolicyTest {
  static final double LINK = 12_500_000;  // 100 Mbit/s
  static final long TEN_MB = 10_000_000;   // cost with the default model: 0.3 + 10e6 / 12.5e6 = 1.1 s
  static final double EPS = 1e-9;

  final LifetimeModel lifetimes = new LifetimeModel();
  final BalancePolicy policy = new BalancePolicy(PolicyConfig.DEFAULT, new MigrationCostModel(), lifetimes);

  static List<NodeSample> threeNodes() {
    return List.of(node("n1", false), node("n2", false), node("n3", false));
  }

  static NodeSample node(String name, boolean draining) { return new NodeSample(name, 0.5, LINK, draining, 0); }

  static JobSample hog(String id, String node, double age) {
    return JobSample.of(id, node, "/usr/bin/python3", 0.25, 1.0, age, TEN_MB, 0, null);
  }

  static Decision of(List<Decision> ds, String id) {
    return ds.stream().filter(d -> d.jobId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void cpuIsSharedInProportionToDemandWhenANodeIsShort() {
    assertEquals(1.0, CpuShare.of(1.0, 2.0, 1.5), EPS);
    assertEquals(0.25, CpuShare.of(1.0, 0.5, 2.0), EPS);
    assertEquals(0.5, CpuShare.of(1.0, 0.5, 1.0), EPS);
    assertEquals(0.0, CpuShare.of(0.0, 0.5, 3.0), EPS);
  }

  @Test
  void ofTwoHogsSharingANodeOneMovesToAnIdleNodeAndTheOtherStays() {
    List<Decision> ds = policy.decide(threeNodes(), List.of(hog("j1", "n1", 10), hog("j2", "n1", 10)));
    Decision moved = of(ds, "j1");
    assertEquals(Decision.Verdict.MOVE, moved.verdict());
    assertEquals("n2", moved.to());
    assertEquals(1.1, moved.costSeconds(), EPS);
    assertEquals(10.0, moved.remainingSeconds(), EPS);      // heavy tail: as long again as it has run, in the median
    assertEquals(2.5, moved.gainSeconds(), EPS);            // 5 s (its run with probability 2/3) * (0.5 - 0.25) / 0.5
    assertEquals(1.1, moved.paybackSeconds(), EPS);         // 1.1 / (0.5 / 0.25 - 1)
    Decision stays = of(ds, "j2");
    assertEquals(Decision.Verdict.STAY, stays.verdict());  // alone on n1 once j1 has gone: 0.5 anywhere
    assertTrue(stays.reason().startsWith("no node would give it more CPU"), stays.reason());
  }

  @Test
  void onceSpreadNobodyMovesAgain() {
    List<Decision> ds = policy.decide(threeNodes(), List.of(hog("j1", "n2", 30), hog("j2", "n1", 30)));
    assertTrue(ds.stream().noneMatch(Decision::moves), ds.toString());
  }

  @Test
  void aJobYoungerThanTheCostOfItsMoveStays() {
    Decision d = of(policy.decide(threeNodes(), List.of(hog("j1", "n1", 1.0), hog("j2", "n1", 1.0))), "j1");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertTrue(d.reason().startsWith("younger (1.0 s)"), d.reason());
    assertEquals(1.1, d.costSeconds(), EPS);
  }

  @Test
  void aMoveWhoseGainDoesNotBeatItsCostIsNotMade() {
    // age 4 s: it runs 2 s more with probability 2/3, saving 2 * 0.5 = 1.0 s, less than the 1.1 s freeze
    // (in the median it runs 4 s more, and would save 2 s: even odds are not enough)
    Decision d = of(policy.decide(threeNodes(), List.of(hog("j1", "n1", 4.0), hog("j2", "n1", 4.0))), "j1");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertEquals(1.0, d.gainSeconds(), EPS);
    assertEquals(4.0, d.remainingSeconds(), EPS);
    assertTrue(d.reason().contains("does not beat the cost"), d.reason());
    // at 4.5 s the gain (1.125 s) beats it
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(hog("j1", "n1", 4.5), hog("j2", "n1", 4.5))), "j1").verdict());
  }

  @Test
  void aJobHoldingALocalDeviceOrDoingLocalIoAboveTheLimitIsPinned() {
    JobSample device = JobSample.of("dev", "n1", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 0, "/dev/net/tun (char device 10:200)");
    JobSample reader = JobSample.of("io", "n1", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 3 * 1048576, null);
    List<Decision> ds = policy.decide(threeNodes(), List.of(device, reader));
    assertEquals(Decision.Verdict.PINNED, of(ds, "dev").verdict());
    assertEquals("holds local device /dev/net/tun (char device 10:200)", of(ds, "dev").reason());
    assertEquals(Decision.Verdict.PINNED, of(ds, "io").verdict());
    assertEquals("local file I/O 3.0 MiB/s is above the limit of 1.0 MiB/s", of(ds, "io").reason());
    // below the limit it is an ordinary job
    JobSample light = JobSample.of("io", "n1", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 512 * 1024, null);
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(device, light)), "io").verdict());
  }

  @Test
  void aJobIsNotMovedAgainBeforeItsLastMoveHasPaidBack() {
    JobSample moved = new JobSample("j1", "n2", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 0, null, 1.0, 1.1, Map.of());
    List<Decision> ds = policy.decide(threeNodes(), List.of(moved, hog("j2", "n2", 60)));
    Decision d = of(ds, "j1");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertEquals("its last move pays back after 1.1 s, 1.0 s have passed", d.reason());
    // j2 never moved: it may go
    assertEquals(Decision.Verdict.MOVE, of(ds, "j2").verdict());
    JobSample paidBack = new JobSample("j1", "n2", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 0, null, 1.2, 1.1, Map.of());
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(paidBack, hog("j3", "n2", 1))), "j1").verdict());
  }

  @Test
  void aProgramsHistorySharpensItsExpectedRemainingTime() {
    // "short" jobs have always ended after about 5 s: one at 4.9 s has little left, and is not worth a move
    for (double l : new double[] {5.0, 5.2, 5.5}) lifetimes.ended("short", l);
    JobSample s = JobSample.of("s", "n1", "short", 0.25, 1.0, 4.9, TEN_MB, 0, null);
    Decision d = of(policy.decide(threeNodes(), List.of(s, hog("j2", "n1", 1))), "s");
    assertEquals(0.3, d.remainingSeconds(), 1e-6);  // median of 0.1, 0.3, 0.6
    assertEquals(Decision.Verdict.STAY, d.verdict());
    // without history the same job runs 2.45 s more with probability 2/3, saving 1.225 s: it moves
    JobSample unknown = JobSample.of("u", "n1", "unknown", 0.25, 1.0, 4.9, TEN_MB, 0, null);
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(unknown, hog("j2", "n1", 1))), "u").verdict());
  }

  @Test
  void aDrainingNodeSendsAwayEveryMovableJobGainOrNotAndTakesNoNewOnes() {
    List<NodeSample> nodes = List.of(node("n1", true), node("n2", false), node("n3", false));
    List<JobSample> jobs = new ArrayList<>();
    for (int i = 1; i <= 4; i++) jobs.add(JobSample.of("j" + i, "n1", "/bin/sleep", 0, 0, 0.2, 1_000_000, 0, null));
    jobs.add(JobSample.of("pinned", "n1", "/usr/bin/python3", 0.1, 0.1, 100, TEN_MB, 0, "/dev/ttyS0 (char device 4:64)"));
    List<Decision> ds = policy.decide(nodes, jobs);
    for (int i = 1; i <= 4; i++) {
      Decision d = of(ds, "j" + i);
      assertEquals(Decision.Verdict.MOVE, d.verdict(), d.summary());
      assertEquals("node is draining", d.reason());
      assertEquals(0.0, d.paybackSeconds(), EPS, "a drain's move has nothing to pay back");
    }
    // spread: two each
    assertEquals(2, ds.stream().filter(d -> "n2".equals(d.to())).count());
    assertEquals(2, ds.stream().filter(d -> "n3".equals(d.to())).count());
    Decision p = of(ds, "pinned");
    assertEquals(Decision.Verdict.PINNED, p.verdict());
    assertNull(p.to());
    assertEquals("n2", policy.place(nodes, List.of(), "x").orElseThrow(), "n1 is draining; n2 and n3 tie, by name");
    assertTrue(policy.place(List.of(node("n1", true)), List.of(), "x").isEmpty(), "a draining node takes no new job");
  }

  /** A hog that started on a richer CPU than n2's: n2 cannot run it. */
  static JobSample hogUnfitFor(String id, String node, String unfit) {
    return new JobSample(id, node, "/usr/bin/python3", 0.25, 1.0, 10, TEN_MB, 0, null, Double.POSITIVE_INFINITY, 0,
        Map.of(unfit, unfit + "'s CPU lacks avx2, which the job may use (it started on n1)"));
  }

  @Test
  void aJobGoesOnlyToANodeWhoseCpuCanRunItEvenWhenThatNodeIsIdler() {
    // n2 and n3 are idle; n2 would win by name, but its CPU lacks what j1 may use
    List<Decision> ds = policy.decide(threeNodes(), List.of(hogUnfitFor("j1", "n1", "n2"), hog("j2", "n1", 10)));
    Decision moved = of(ds, "j1");
    assertEquals(Decision.Verdict.MOVE, moved.verdict(), moved.summary());
    assertEquals("n3", moved.to());
    // with n3 busy too, the idle n2 is no target at all
    List<NodeSample> twoNodes = List.of(node("n1", false), node("n2", false));
    Decision stays = of(policy.decide(twoNodes, List.of(hogUnfitFor("j1", "n1", "n2"), hog("j2", "n1", 10))), "j1");
    assertEquals(Decision.Verdict.STAY, stays.verdict(), stays.summary());
    assertNull(stays.to());
  }

  @Test
  void aDrainingNodesJobThatNoOtherCpuCanRunIsPinnedWithTheReason() {
    List<NodeSample> nodes = List.of(node("n1", true), node("n2", false));
    Decision d = of(policy.decide(nodes, List.of(hogUnfitFor("j1", "n1", "n2"))), "j1");
    assertEquals(Decision.Verdict.PINNED, d.verdict(), d.summary());
    assertNull(d.to());
    assertEquals("no node that takes jobs can run it: n2's CPU lacks avx2, which the job may use (it started on n1)", d.reason());
    // one that can go elsewhere still leaves
    Decision moved = of(policy.decide(threeNodes().stream().map(n -> n.name().equals("n1") ? node("n1", true) : n).toList(),
        List.of(hogUnfitFor("j1", "n1", "n2"))), "j1");
    assertEquals(Decision.Verdict.MOVE, moved.verdict(), moved.summary());
    assertEquals("n3", moved.to());
  }

  @Test
  void newJobsGoWhereTheyFinishSoonestAndABurstSpreads() {
    List<NodeSample> nodes = new ArrayList<>(threeNodes());
    List<JobSample> busy = List.of(hog("j1", "n1", 10));
    assertEquals("n2", policy.place(nodes, busy, "cc").orElseThrow());
    // a burst: each placement is pending on its node until the samples show it
    List<String> placed = new ArrayList<>();
    int[] pending = new int[3];
    for (int k = 0; k < 6; k++) {
      List<NodeSample> now = List.of(new NodeSample("n1", 0.5, LINK, false, pending[0]), new NodeSample("n2", 0.5, LINK, false, pending[1]),
          new NodeSample("n3", 0.5, LINK, false, pending[2]));
      String n = policy.place(now, List.of(), "cc").orElseThrow();
      placed.add(n);
      pending[Integer.parseInt(n.substring(1)) - 1]++;
    }
    assertEquals(List.of("n3", "n1", "n2", "n3", "n1", "n2"), placed, "ties go round from n2, chosen last");
    // a bigger node takes more: 1 CPU with one hog beats 0.5 CPU with one
    List<NodeSample> mixed = List.of(new NodeSample("small", 0.5, LINK, false, 0), new NodeSample("big", 1.0, LINK, false, 0));
    assertEquals("big", policy.place(mixed, List.of(hog("a", "small", 5), hog("b", "big", 5)), "cc").orElseThrow());
  }

  @Test
  void anIdleJobStaysHoweverCrowdedItsNodeLooks() {
    // the case found in the lab: 50 sleeping jobs a node, and on n2 one job just moved there that its
    // samples do not show yet (counted as wanting a core). Each sleeper uses what it wants (0.004 of
    // 0.005); the old rule read its share on n2 as 0.005 * 0.5 / 1.25 = 0.002 against 0.005 on n1,
    // and moved it for 90 s * (1 - 0.4) = 54 s of "gain"
    List<NodeSample> nodes = List.of(node("n1", false), new NodeSample("n2", 0.5, LINK, false, 1), node("n3", false));
    List<JobSample> jobs = new ArrayList<>();
    for (String n : List.of("n1", "n2", "n3")) {
      for (int i = 0; i < 50; i++) jobs.add(JobSample.of(n + "-s" + i, n, "sleep", 0.004, 0.005, 90, 200_000, 0, null));
    }
    List<Decision> ds = policy.decide(nodes, jobs);
    assertTrue(ds.stream().noneMatch(Decision::moves), ds.stream().filter(Decision::moves).map(Decision::summary).toList().toString());
    Decision d = of(ds, "n2-s0");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertEquals("gets the CPU it wants (0.00 of 0.01)", d.reason());
    assertEquals(0.0, d.gainSeconds(), EPS);
  }

  @Test
  void aJobMovesForCpuOnlyWhenItWantsAtLeastATenthOfACoreMoreThanItGetsAndAnotherNodeGivesIt() {
    JobSample hogOnN1 = JobSample.of("hog", "n1", "/usr/bin/python3", 0.25, 1.0, 100, TEN_MB, 0, null);
    // waits for 0.09 of a core: not worth a move, however much an idle node offers
    JobSample content = JobSample.of("a", "n1", "/usr/bin/python3", 0.25, 0.34, 100, TEN_MB, 0, null);
    Decision stays = of(policy.decide(threeNodes(), List.of(hogOnN1, content)), "a");
    assertEquals(Decision.Verdict.STAY, stays.verdict());
    assertEquals("gets the CPU it wants (0.25 of 0.34)", stays.reason());
    // waits for 0.11: an idle node gives it all 0.36 instead of 0.25. It runs 50 s more with
    // probability 2/3, CPU limits 0.36 of that time, and there it goes 1 - 0.25 / 0.36 faster:
    // 50 * 0.36 * 0.11 / 0.36 = 5.5 s saved, 50 s times the 0.11 of a core it gains
    JobSample wanting = JobSample.of("a", "n1", "/usr/bin/python3", 0.25, 0.36, 100, TEN_MB, 0, null);
    Decision moves = of(policy.decide(threeNodes(), List.of(hogOnN1, wanting)), "a");
    assertEquals(Decision.Verdict.MOVE, moves.verdict(), moves.summary());
    assertEquals("0.36 instead of 0.25 CPU on n2", moves.reason());
    assertEquals(5.5, moves.gainSeconds(), 1e-9);
    assertEquals(1.1, moves.costSeconds(), EPS);
    assertEquals(1.1 / (0.36 * (0.36 / 0.25 - 1)), moves.paybackSeconds(), 1e-9);
  }

  @Test
  void aJobIsNotMovedForLessThanATenthOfACoreMore() {
    // n1: three jobs wanting 2.5 cores of 0.5, "a" gets 0.20 of the 1.00 it wants; n2 and n3 are busy
    // too: there it would get 1.0 * 0.5 / 1.8 = 0.278, 0.078 more. The old rule moved it for
    // 100 s * (1 - 0.2 / 0.278) = 28 s of gain.
    List<JobSample> jobs = new ArrayList<>(List.of(
        JobSample.of("a", "n1", "/usr/bin/python3", 0.20, 1.0, 100, TEN_MB, 0, null),
        JobSample.of("b", "n1", "/usr/bin/python3", 0.15, 0.75, 10, TEN_MB, 0, null),
        JobSample.of("c", "n1", "/usr/bin/python3", 0.15, 0.75, 10, TEN_MB, 0, null)));
    for (String n : List.of("n2", "n3")) jobs.add(JobSample.of(n + "-hog", n, "/usr/bin/python3", 0.5, 0.8, 10, TEN_MB, 0, null));
    Decision d = of(policy.decide(threeNodes(), jobs), "a");
    assertEquals(Decision.Verdict.STAY, d.verdict(), d.summary());
    assertEquals("no node would give it more CPU (it gets 0.20 of the 1.00 it wants)", d.reason());
  }

  @Test
  void aJobThatMostlySleepsSavesOnlyThePartOfItsTimeThatCpuLimits() {
    // on n1 a hog wants 1.3 cores and a job that is runnable a fifth of the time 0.2: of the 0.5 it
    // gets 0.5 * 0.2 / 1.5 = 1/15. An idle node gives it its 0.2, three times as much, but CPU limits
    // only 0.2 of its time: at 10 s old it saves 5 s (its run with probability 2/3) * 0.2 * (1 - 1/3)
    JobSample hog = JobSample.of("hog", "n1", "/usr/bin/python3", 0.45, 1.3, 10, TEN_MB, 0, null);
    Decision d = of(policy.decide(threeNodes(), List.of(hog, JobSample.of("s", "n1", "/usr/bin/python3", 0.05, 0.2, 10, TEN_MB, 0, null))), "s");
    assertEquals(Decision.Verdict.STAY, d.verdict(), d.summary());
    assertEquals(5 * 0.2 * 2 / 3, d.gainSeconds(), 1e-9);
    assertEquals("gain on n2 (0.20 instead of 0.07 CPU) does not beat the cost", d.reason());
    // (the old rule counted its whole expected run, 10 s * (1 - 1/3) = 6.7 s.) At 20 s it saves 1.33 s
    Decision older = of(policy.decide(threeNodes(), List.of(hog, JobSample.of("s", "n1", "/usr/bin/python3", 0.05, 0.2, 20, TEN_MB, 0, null))), "s");
    assertEquals(Decision.Verdict.MOVE, older.verdict(), older.summary());
    assertEquals(10 * 0.2 * 2 / 3, older.gainSeconds(), 1e-9);
  }

  @Test
  void equallyGoodNodesTakeNewJobsInTurn() {
    // no node is preferred by its name: which jobs a newcomer shares a node with is not decided by it
    List<String> placed = new ArrayList<>();
    for (int k = 0; k < 4; k++) placed.add(policy.place(threeNodes(), List.of(), "cc").orElseThrow());
    assertEquals(List.of("n1", "n2", "n3", "n1"), placed);
    // a better node is taken whatever the turn
    assertEquals("n3", policy.place(threeNodes(), List.of(hog("x", "n1", 5), hog("y", "n2", 5)), "cc").orElseThrow());
    assertEquals("n1", policy.place(threeNodes(), List.of(), "cc").orElseThrow(), "after n3 the turn comes round to n1");
  }
}
