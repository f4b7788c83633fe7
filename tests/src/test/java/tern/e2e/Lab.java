package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tern.os.Command;
import tern.os.CommandFailedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lab cluster for end-to-end tests: brought up once for the whole run by the first test class
 * that needs it, and taken down when the run ends, also when tests failed.
 */
public final class Lab implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
  public static final Path ROOT = Path.of(System.getProperty("tern.root", "..")).toAbsolutePath().normalize();
  /** The test jobs' scripts, copied where any job user can read them (a checkout may be private). */
  public static final Path JOBS = Path.of("/var/tmp/tern-e2e-jobs");
  static final String PYTHON = "/usr/bin/python3";
  static final String OUTSIDE_PEER_IP = "10.77.0.1";

  @Override public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent("tern-lab", k -> {
      copyJobs();
      renew();
      return this;
    });
  }

  /**
   * A new lab of the tests' shape, nothing of the one before kept: what a test class calls when it
   * leaves the cluster otherwise than it found it (a node added and removed stays listed as down).
   */
  public static void renew() {
    Result r = tern(List.of("lab", "down"), 120);
    // the tests' lab; a benchmark may ask for another shape (-Dtern.lab.cpu=2 -Dtern.lab.link=unshaped)
    // or JVM options for its services (-Dtern.lab.javaOpts=-XX:NativeMemoryTracking=summary)
    r = tern(List.of("lab", "up", "--nodes", "3", "--cpu", System.getProperty("tern.lab.cpu", "0.5"),
        "--link", System.getProperty("tern.lab.link", "100mbit"), "--java-opts", System.getProperty("tern.lab.javaOpts", "")), 300);
    if (r.exit != 0) throw new IllegalStateException("tern lab up failed: " + r.stderr + r.stdout);
    // tests that move jobs by hand want no balancer of their own; BalancerTest turns it on
    tern(List.of("balance", "off"), 60).ok();
  }

  private static void copyJobs() {
    try {
      Files.createDirectories(JOBS);
      Files.setPosixFilePermissions(JOBS, PosixFilePermissions.fromString("rwxr-xr-x"));
      try (var files = Files.list(ROOT.resolve("tests/src/test/resources/jobs"))) {
        for (Path f : files.toList()) {
          Path to = JOBS.resolve(f.getFileName());
          Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the test jobs to " + JOBS + ": " + e.getMessage(), e);
    }
  }

  @Override public void close() {
    tern(List.of("lab", "down"), 120);
  }

  public record Result(int exit, String stdout, String stderr) {
    public JsonObject json() { return new JsonObject(stdout); }

    public JsonArray jsonArray() { return new JsonArray(stdout); }

    public Result ok() {
      if (exit != 0) throw new AssertionError("tern failed with " + exit + ": " + stderr + stdout);
      return this;
    }
  }

  public static Result tern(List<String> args, long timeoutSeconds) {
    List<String> argv = new ArrayList<>();
    argv.add(ROOT.resolve("tern").toString());
    argv.addAll(args);
    return run(argv, null, timeoutSeconds);
  }

  public static Result tern(String... args) { return tern(List.of(args), 300); }

  /** Runs a program to its end; one that outlives the deadline is killed with its children and fails the test. */
  public static Result run(List<String> argv, Path cwd, long timeoutSeconds) {
    try {
      Command.Result r = Command.of(argv).directory(cwd).runAllowingFailure(timeoutSeconds);
      return new Result(r.exit(), r.stdout(), r.stderr());
    } catch (CommandFailedException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** A directory any job user can work in. */
  public static Path workDir(String name) {
    try {
      Path dir = Files.createTempDirectory("tern-e2e-" + name);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      return dir;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A local device a job can hold (a tape drive stand-in): a character device with the tun device's
   * numbers that any job user can open.
   */
  public static Path localDevice(Path dir) {
    Path device = dir.resolve("tape");
    run(List.of("mknod", device.toString(), "c", "10", "200"), null, 10).ok();
    run(List.of("chmod", "666", device.toString()), null, 10).ok();
    return device;
  }

  /** Starts a detached job and returns its id. */
  public static String start(Path cwd, String node, String... command) {
    List<String> argv = new ArrayList<>(List.of(ROOT.resolve("tern").toString(), "run", "--detach", "--user", "nobody"));
    if (node != null) argv.addAll(List.of("--node", node));
    argv.add("--");
    argv.addAll(List.of(command));
    return run(argv, cwd, 120).ok().stdout.trim();
  }

  /** Every job the gateway lists ({@code tern ps -o json}), by id, in the order it lists them. */
  public static Map<String, JsonObject> jobs() {
    Map<String, JsonObject> jobs = new LinkedHashMap<>();
    for (Object o : tern("ps", "-o", "json").ok().jsonArray()) {
      JsonObject j = (JsonObject) o;
      jobs.put(j.getString("id"), j);
    }
    return jobs;
  }

  public static JsonObject job(String id) {
    JsonObject job = jobs().get(id);
    if (job == null) throw new AssertionError("job " + id + " not in tern ps");
    return job;
  }

  public static JsonObject migrate(String id, String to) {
    return to == null ? tern("migrate", id, "-o", "json").ok().json() : tern("migrate", id, "--to", to, "-o", "json").ok().json();
  }

  /** The node (or PC waiting to be accepted) that {@code tern nodes} lists with this MAC address, or null. */
  public static JsonObject nodeWithMac(String mac) {
    for (Object o : tern("nodes", "-o", "json").ok().jsonArray()) {
      JsonObject n = (JsonObject) o;
      if (mac.equals(n.getString("mac"))) return n;
    }
    return null;
  }

  public static JsonObject status() { return tern("lab", "status", "-o", "json").ok().json(); }

  /** Host PIDs of every process of a job, on every node (a job must run in exactly one place). */
  public static List<String> placesRunning(String jobId) {
    List<String> places = new ArrayList<>();
    try (var nodes = Files.list(Path.of("/sys/fs/cgroup/cpuacct/tern"))) {
      for (Path node : nodes.toList()) {
        Path procs = node.resolve(jobId).resolve("cgroup.procs");
        if (Files.exists(procs) && !Files.readString(procs).isBlank()) places.add(node.getFileName().toString());
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return places;
  }

  /**
   * What a job left where it does not run: capsule namespaces, image directories and node routes
   * for its VIP on any node other than {@code host} (null: on every node, the job has ended).
   */
  public static List<String> leftovers(String jobId, String vip, String host) {
    List<String> found = new ArrayList<>();
    for (String node : List.of("n1", "n2", "n3")) {
      if (node.equals(host)) continue;
      if (Files.exists(Path.of("/run/netns/tern-" + node + "-" + jobId))) found.add("namespace tern-" + node + "-" + jobId);
      if (Files.exists(Path.of("/sys/fs/cgroup/cpuacct/tern/" + node + "/" + jobId))) found.add("cgroup " + node + "/" + jobId);
      String routes = run(List.of("ip", "-n", "tern-" + node, "route", "show"), null, 10).stdout;
      if (routes.contains(vip + " ")) found.add("route to " + vip + " on " + node + ": " + routes.trim());
    }
    try (var dirs = Files.walk(Path.of("/dev/shm/tern"), 2)) {
      dirs.filter(d -> d.getFileName().toString().matches("(in|out)-m[0-9]+")).forEach(d -> found.add("images " + d));
    } catch (IOException e) {
      // no image directory at all
    }
    if (host == null) {
      String gw = run(List.of("ip", "-n", "tern-gw", "route", "show"), null, 10).stdout;
      if (gw.contains(vip + " ")) found.add("gateway route to " + vip);
    }
    return found;
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A condition a test waits for; it may ask the lab. */
  public interface Check {
    boolean ok() throws Exception;
  }

  /**
   * Waits until the check holds. The message is made when the wait fails, so that it reports the state
   * then, not the state before waiting.
   */
  public static void waitUntil(Check check, int seconds, Supplier<String> message) throws Exception {
    waitUntil(check, seconds, 100, message);
  }

  /** As above, asking every pollMillis: a check that costs its target work (an emulated machine's) asks less often. */
  public static void waitUntil(Check check, int seconds, long pollMillis, Supplier<String> message) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (check.ok()) return;
      Thread.sleep(pollMillis);
    }
    throw new AssertionError(message.get());
  }
}
