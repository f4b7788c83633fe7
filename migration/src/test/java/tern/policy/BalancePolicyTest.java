package tern.policy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
    assertEquals(10.0, moved.remainingSeconds(), EPS);      // heavy tail: as long again as it has run
    assertEquals(5.0, moved.gainSeconds(), EPS);            // 10 s * (1 - 0.25 / 0.5)
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
    // age 2 s: expected 2 s more, saving 2 * 0.5 = 1.0 s, less than the 1.1 s freeze
    Decision d = of(policy.decide(threeNodes(), List.of(hog("j1", "n1", 2.0), hog("j2", "n1", 2.0))), "j1");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertEquals(1.0, d.gainSeconds(), EPS);
    assertTrue(d.reason().contains("does not beat the cost"), d.reason());
    // at 2.5 s the gain (1.25 s) beats it
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(hog("j1", "n1", 2.5), hog("j2", "n1", 2.5))), "j1").verdict());
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
    JobSample moved = new JobSample("j1", "n2", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 0, null, 1.0, 1.1);
    List<Decision> ds = policy.decide(threeNodes(), List.of(moved, hog("j2", "n2", 60)));
    Decision d = of(ds, "j1");
    assertEquals(Decision.Verdict.STAY, d.verdict());
    assertEquals("its last move pays back after 1.1 s, 1.0 s have passed", d.reason());
    // j2 never moved: it may go
    assertEquals(Decision.Verdict.MOVE, of(ds, "j2").verdict());
    JobSample paidBack = new JobSample("j1", "n2", "/usr/bin/python3", 0.25, 1.0, 60, TEN_MB, 0, null, 1.2, 1.1);
    assertEquals(Decision.Verdict.MOVE, of(policy.decide(threeNodes(), List.of(paidBack, hog("j3", "n2", 1))), "j1").verdict());
  }

  @Test
  void aProgramsHistorySharpensItsExpectedRemainingTime() {
    // "short" jobs have always ended after about 3 s: one at 2.9 s has little left, and is not worth a move
    for (double l : new double[] {3.0, 3.2, 3.5}) lifetimes.ended("short", l);
    JobSample s = JobSample.of("s", "n1", "short", 0.25, 1.0, 2.9, TEN_MB, 0, null);
    Decision d = of(policy.decide(threeNodes(), List.of(s, hog("j2", "n1", 1))), "s");
    assertEquals(0.3, d.remainingSeconds(), 1e-6);  // median of 0.1, 0.3, 0.6
    assertEquals(Decision.Verdict.STAY, d.verdict());
    // without history the same job is expected to run 2.9 s more, and would move
    JobSample unknown = JobSample.of("u", "n1", "unknown", 0.25, 1.0, 2.9, TEN_MB, 0, null);
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
    assertEquals(List.of("n1", "n2", "n3", "n1", "n2", "n3"), placed);
    // a bigger node takes more: 1 CPU with one hog beats 0.5 CPU with one
    List<NodeSample> mixed = List.of(new NodeSample("small", 0.5, LINK, false, 0), new NodeSample("big", 1.0, LINK, false, 0));
    assertEquals("big", policy.place(mixed, List.of(hog("a", "small", 5), hog("b", "big", 5)), "cc").orElseThrow());
  }
}
