package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * An unkind operator for ten minutes (-Dtern.chaos.minutes): random starts, kills, migrations, drains,
 * migrator SIGKILLs and one gateway SIGKILL, from three threads at once, with the cluster's
 * invariants checked throughout and at the end: every job runs in at most one place, no two live
 * jobs share a VIP, every ended job ended exactly once and in the state its history calls for, every
 * surviving talker's TCP conversation is intact, and nothing is left once every job has ended.
 */
@ExtendWith({Lab.class, KillStartedJobs.class})
@org.junit.jupiter.api.Tag("chaos")
class ChaosTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final Pattern ENDED = Pattern.compile("job (j[0-9]+) ended \\(");
  private final long seed = Long.getLong("tern.chaos.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final Map<String, Tracked> jobs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> ops = new ConcurrentHashMap<>();
  private final AtomicLong checks = new AtomicLong();
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Path dir = Lab.workDir("chaos");
  private volatile long calmUntil;

  /** What the test did to a job, which decides how it must end. */
  private static final class Tracked {
    final String id;
    final OutsidePeer peer;  // talkers only
    final Path stopFile;
    volatile boolean killAsked;

    Tracked(String id, OutsidePeer peer, Path stopFile) {
      this.id = id;
      this.peer = peer;
      this.stopFile = stopFile;
    }

    void closePeer() throws IOException {
      if (peer != null) peer.close();
    }
  }

  @Test
  void tenMinutesOfRandomOperationsBreakNoInvariant() throws Exception {
    long minutes = Long.getLong("tern.chaos.minutes", 10);
    System.out.println("chaos: seed " + seed + " (-Dtern.chaos.seed=" + seed + " replays the choices), " + minutes + " minutes");
    long gatewayLogStart = Files.size(Path.of("/run/tern/lab/gateway.log"));
    long end = System.currentTimeMillis() + minutes * 60_000;
    long gatewayKillAt = System.currentTimeMillis() + minutes * 60_000 / 2;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int i = 0; i < 4; i++) startJob();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        long workerSeed = random.nextLong();
        workers.add(pool.submit(() -> operate(new Random(workerSeed), end)));
      }
      boolean gatewayKilled = false;
      while (System.currentTimeMillis() < end) {
        if (!gatewayKilled && System.currentTimeMillis() > gatewayKillAt) {
          killGateway();
          gatewayKilled = true;
        }
        checkInvariants();
        Thread.sleep(3_000);
      }
      for (Future<?> w : workers) w.get(5, TimeUnit.MINUTES);
      assertTrue(gatewayKilled, "the gateway was never killed");
    } finally {
      pool.shutdownNow();
    }
    Lab.tern("nodes").ok();  // the cluster answers again
    for (String node : NODES) Lab.tern("undrain", node);
    checkInvariants();

    // nothing ends by itself but a talker told to stop: a job that did was lost
    Map<String, JsonObject> before = recordsOrFail();
    for (Tracked t : jobs.values()) {
      if (!before.containsKey(t.id)) {
        violations.add(t.id + " was started but the cluster does not know it; the gateway's log of it:\n" + historyOf(t.id, gatewayLogStart));
        continue;
      }
      String state = before.get(t.id).getString("state");
      if (!t.killAsked && List.of("exited", "killed").contains(state)) violations.add(t.id + " was never killed, yet it is " + state);
    }
    // the end: talkers stop by themselves, the rest are killed; every job must end, once, as it should
    for (Tracked t : jobs.values()) if (t.peer != null && !t.killAsked) Files.writeString(t.stopFile, "stop");
    for (Tracked t : jobs.values()) {
      if (t.peer == null && isLive(before.get(t.id))) {
        t.killAsked = true;
        Lab.tern("kill", t.id);
      }
    }
    waitUntil(() -> {
      Map<String, JsonObject> now = records();
      return !now.isEmpty() && jobs.keySet().stream().noneMatch(id -> isLive(now.get(id)));
    }, 180, this::describeUnended);
    Map<String, JsonObject> records = recordsOrFail();
    Map<String, Integer> ends = endsInGatewayLog(gatewayLogStart);
    for (Tracked t : jobs.values()) {
      JsonObject r = records.get(t.id);
      if (r == null) continue;  // said above
      String state = r.getString("state");
      if (ends.getOrDefault(t.id, 0) != 1) violations.add(t.id + " ended " + ends.getOrDefault(t.id, 0) + " times in the gateway's log");
      if (t.killAsked && !List.of("killed", "exited", "failed").contains(state)) violations.add(t.id + " was killed but is " + state);
      if (t.peer != null && !t.killAsked) {
        String outcome = t.peer.outcome.getNow("no outcome");
        if (!"exited".equals(state) || r.getInteger("exitCode", -1) != 0 || !outcome.startsWith("ok ")) {
          violations.add("talker " + t.id + " did not keep its conversation: " + state + " exit " + r.getInteger("exitCode") + ", peer: " + outcome);
        }
      }
      if (t.killAsked && "exited".equals(state) && t.peer == null) violations.add(t.id + " (never ends by itself) is exited, not killed");
      t.closePeer();
    }
    waitUntil(() -> leftovers(records).isEmpty(), 60, () -> "left behind once every job ended: " + leftovers(records));
    checks.incrementAndGet();
    System.out.printf("chaos: %d operations %s, %d invariant checks, %d jobs, %d violations%n",
        ops.values().stream().mapToInt(AtomicInteger::get).sum(), new java.util.TreeMap<>(ops), checks.get(), jobs.size(), violations.size());
    assertTrue(violations.isEmpty(), "invariants broken (seed " + seed + "):\n" + String.join("\n", violations));
  }

  private void operate(Random r, long end) {
    while (System.currentTimeMillis() < end) {
      try {
        Map<String, JsonObject> now = records();
        int live = (int) jobs.keySet().stream().filter(id -> isLive(now.get(id))).count();
        int dice = r.nextInt(100);
        if (live < 3 || (dice < 20 && live < 14)) startJob();
        else if (dice < 35) killJob(r, now);
        else if (dice < 75) migrateJob(r, now);
        else if (dice < 85) drainNode(r);
        else if (dice < 93 && System.currentTimeMillis() > calmUntil) killMigrator(r);
        else Thread.sleep(500 + r.nextInt(2_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        violations.add("an operation threw: " + e);
      }
    }
  }

  private void count(String op) { ops.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet(); }

  private void startJob() throws IOException {
    String node = random.nextBoolean() ? null : NODES.get(random.nextInt(NODES.size()));
    boolean talker = random.nextInt(3) == 0;
    OutsidePeer peer = talker ? new OutsidePeer() : null;
    Path stop = dir.resolve("stop-" + System.nanoTime());
    List<String> argv = new ArrayList<>(List.of(Lab.ROOT.resolve("tern").toString(), "run", "--detach", "--user", "nobody"));
    if (node != null) argv.addAll(List.of("--node", node));
    argv.add("--");
    if (talker) {
      argv.addAll(List.of(Lab.PYTHON, Lab.JOBS.resolve("talker.py").toString(), Lab.OUTSIDE_PEER_IP, Integer.toString(peer.port()),
          stop.toString(), "0.05"));
    } else {
      argv.addAll(random.nextBoolean() ? List.of("sleep", "3600") : List.of(Lab.PYTHON, Lab.JOBS.resolve("spin.py").toString()));
    }
    Lab.Result res = Lab.run(argv, dir, 120);
    count(res.exit() == 0 ? "start" : "start-refused");
    if (res.exit() == 0) {
      String id = res.stdout().trim();
      jobs.put(id, new Tracked(id, peer, stop));
    } else if (peer != null) {
      peer.close();
    }
  }

  private void killJob(Random r, Map<String, JsonObject> now) {
    Tracked t = pickLive(r, now);
    if (t == null) return;
    Lab.Result res = Lab.tern("kill", t.id);
    // exit 1 with "still killing": the kill is taken and carried out later; anything else did not happen
    boolean taken = res.exit() == 0 || res.stderr().contains("still killing") || res.stderr().contains("kill is carried out when");
    if (taken) t.killAsked = true;
    count(taken ? "kill" : "kill-refused-" + res.exit());
  }

  private void migrateJob(Random r, Map<String, JsonObject> now) {
    Tracked t = pickLive(r, now);
    if (t == null) return;
    Lab.Result res = Lab.tern("migrate", t.id, "--to", NODES.get(r.nextInt(NODES.size())));
    count(res.exit() == 0 ? "migrate" : "migrate-refused-" + res.exit());
    if (res.exit() != 0 && res.stderr().isBlank()) violations.add("a failed migration of " + t.id + " said nothing");
  }

  private void drainNode(Random r) throws InterruptedException {
    String node = NODES.get(r.nextInt(NODES.size()));
    count(Lab.tern("drain", node, "--no-wait").exit() == 0 ? "drain" : "drain-refused");
    Thread.sleep(2_000 + r.nextInt(8_000));
    count(Lab.tern("undrain", node).exit() == 0 ? "undrain" : "undrain-refused");
  }

  /** What a job that would not end is doing: its record, its peer, and the state of each of its processes. */
  private String describeUnended() {
    Map<String, JsonObject> now = records();
    StringBuilder b = new StringBuilder("some jobs never ended:");
    for (Tracked t : jobs.values()) {
      if (!isLive(now.get(t.id))) continue;
      b.append("\n  ").append(t.id).append(": ").append(now.get(t.id));
      if (t.peer != null) {
        b.append("\n    peer: last line ").append(t.peer.lastLine.get()).append(", ").append(t.peer.outcome.getNow("no outcome yet"));
      }
      for (String node : Lab.placesRunning(t.id)) {
        try {
          for (String pid : Files.readAllLines(Path.of("/sys/fs/cgroup/cpuacct/tern", node, t.id, "cgroup.procs"))) {
            String status = Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("State:") || l.startsWith("Name:"))
                .reduce("", (x, y) -> x + " " + y.replaceAll("\\s+", " "));
            b.append("\n    ").append(node).append(" pid ").append(pid).append(status).append(" wchan ")
                .append(Files.readString(Path.of("/proc", pid, "wchan")));
          }
        } catch (IOException e) {
          b.append("\n    ").append(node).append(": ").append(e.getMessage());
        }
        b.append("\n    sockets: ").append(Lab.run(List.of("nsenter", "--net=/run/netns/tern-" + node + "-" + t.id, "ss", "-tni"), null, 10)
            .stdout().replaceAll("\\s+", " "));
      }
    }
    return b.toString();
  }

  private void killMigrator(Random r) throws IOException {
    String node = NODES.get(r.nextInt(NODES.size()));
    Lab.run(List.of("kill", "-KILL", Files.readString(Path.of("/run/tern/lab/" + node + ".pid")).trim()), null, 10);
    count("migrator-sigkill");
    // one member at a time: Hazelcast keeps one backup of each entry
    calmUntil = System.currentTimeMillis() + 20_000;
  }

  private void killGateway() throws Exception {
    calmUntil = Long.MAX_VALUE;  // no migrator dies while the gateway is away
    Lab.run(List.of("kill", "-KILL", Files.readString(Path.of("/run/tern/lab/gateway.pid")).trim()), null, 10).ok();
    count("gateway-sigkill");
    // refused while its JVM starts, then the client waits through its 503s (Retry-After)
    waitUntil(() -> Lab.tern("nodes").exit() == 0, 120, () -> "the gateway did not come back after its SIGKILL");
    calmUntil = System.currentTimeMillis() + 20_000;
  }

  private Tracked pickLive(Random r, Map<String, JsonObject> now) {
    List<Tracked> live = jobs.values().stream().filter(t -> !t.killAsked && isLive(now.get(t.id))).toList();
    return live.isEmpty() ? null : live.get(r.nextInt(live.size()));
  }

  /** Not known (yet) counts as live: the gateway may be restarting. */
  private static boolean isLive(JsonObject record) {
    return record == null || !List.of("exited", "killed", "failed").contains(record.getString("state"));
  }


  private static Map<String, JsonObject> records() {
    try {
      return Lab.jobs();
    } catch (AssertionError gatewayDown) {
      return new HashMap<>();
    }
  }

  private static Map<String, JsonObject> recordsOrFail() {
    return Lab.jobs();
  }

  /** The invariants that must hold at every moment; a breach must still be there a moment later to count (reads are not atomic). */
  private void checkInvariants() throws InterruptedException {
    List<String> found = breaches();
    if (!found.isEmpty()) {
      Thread.sleep(2_000);
      List<String> still = breaches();
      still.retainAll(found);
      violations.addAll(still);
    }
    checks.incrementAndGet();
  }

  private List<String> breaches() {
    List<String> found = new ArrayList<>();
    Map<String, JsonObject> records = records();
    if (records.isEmpty()) return found;  // the gateway is restarting
    Map<String, String> vips = new HashMap<>();
    for (JsonObject r : records.values()) {
      String id = r.getString("id");
      String state = r.getString("state");
      List<String> places = Lab.placesRunning(id);
      if (places.size() > 1) found.add(id + " runs in " + places.size() + " places: " + places);
      boolean live = !List.of("exited", "killed", "failed").contains(state);
      if (!live && !places.isEmpty()) found.add(id + " is " + state + " but still has processes on " + places);
      if (live) {
        String other = vips.put(r.getString("vip"), id);
        if (other != null) found.add(id + " and " + other + " share VIP " + r.getString("vip"));
      }
    }
    // a process in a capsule the cluster does not know is a ghost
    for (String node : NODES) {
      try (Stream<Path> dirs = Files.list(Path.of("/sys/fs/cgroup/cpuacct/tern", node))) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          String id = d.getFileName().toString();
          if (id.matches("j[0-9]+") && !records.containsKey(id) && !Files.readString(d.resolve("cgroup.procs")).isBlank()) {
            found.add("processes of " + id + " on " + node + ", a job the cluster does not know");
          }
        }
      } catch (IOException e) {
        // a node's cgroup directory is only there once it has had jobs
      }
    }
    return found;
  }

  private static List<String> leftovers(Map<String, JsonObject> records) {
    List<String> found = new ArrayList<>();
    for (JsonObject r : records.values()) found.addAll(Lab.leftovers(r.getString("id"), r.getString("vip"), null));
    try (Stream<Path> ns = Files.list(Path.of("/run/netns"))) {
      ns.map(p -> p.getFileName().toString()).filter(n -> n.matches("tern-n[0-9]+-j[0-9]+")).forEach(n -> found.add("namespace " + n));
    } catch (IOException e) {
      found.add("cannot list /run/netns: " + e);
    }
    return found;
  }

  private static String historyOf(String id, long from) throws IOException {
    String log = Files.readString(Path.of("/run/tern/lab/gateway.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
    return log.substring((int) Math.min(from, log.length())).lines().filter(l -> l.matches(".*\\b" + id + "\\b.*"))
        .map(l -> "    " + l).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static Map<String, Integer> endsInGatewayLog(long from) throws IOException {
    String log = Files.readString(Path.of("/run/tern/lab/gateway.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
    Map<String, Integer> ends = new HashMap<>();
    Matcher m = ENDED.matcher(log.substring((int) Math.min(from, log.length())));
    while (m.find()) ends.merge(m.group(1), 1, Integer::sum);
    return ends;
  }
}
