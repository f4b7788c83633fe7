package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The appliance in virtual machines ({@code tern vm}), booted from the images {@code tern image}
 * built, and the client pointed at the gateway VM's API.
 */
public final class Appliance {
  public static final Path OUT = Lab.ROOT.resolve("out");
  public static final Path VM = OUT.resolve("vm");
  public static final Path IMAGE = OUT.resolve("tern-gateway-x86_64.img");
  /** Where the host is, seen from inside the VMs (qemu's user network). */
  public static final String HOST_FROM_INSIDE = "10.0.2.2";
  /** A job's states once it is over (JobState's). */
  static final java.util.Set<String> ENDED = java.util.Set.of("exited", "killed", "failed");
  /** What the first boot prints on the console (tern-firstboot.sh). */
  private static final java.util.regex.Pattern PRINTED_TOKEN = java.util.regex.Pattern.compile("Tern gateway: admin token ([0-9a-f]+)");

  private Appliance() { }

  /**
   * Lab.waitUntil, asking every 3 s: each check here starts a `tern` client on this machine and sends a
   * request to the emulated gateway. Asked every 100 ms, the ten minutes' wait for the nodes' boot
   * started thousands of clients on the cores the VMs share, and fed the gateway as many requests.
   * What is waited for changes in seconds, not in tenths of one.
   */
  public static void waitUntil(Lab.Check check, int seconds, java.util.function.Supplier<String> message) throws Exception {
    Lab.waitUntil(check, seconds, 3_000, message);
  }

  public static Lab.Result vm(long timeoutSeconds, String... args) {
    List<String> argv = new ArrayList<>(List.of(Lab.ROOT.resolve("tern").toString(), "vm"));
    argv.addAll(List.of(args));
    return Lab.run(argv, null, timeoutSeconds);
  }

  /** The client against the gateway VM, run from /tmp (a folder every node has: a job starts in its caller's). */
  public static Lab.Result tern(String... args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/env", "TERN_CONFIG=" + VM.resolve("client.json"),
        Lab.ROOT.resolve("tern").toString()));
    argv.addAll(List.of(args));
    return Lab.run(argv, Path.of("/tmp"), 300);
  }

  public static JsonArray nodes() { return tern("nodes", "-o", "json").ok().jsonArray(); }

  public static Optional<JsonObject> node(String field, String value) { return find(nodes(), field, value); }

  private static Optional<JsonObject> find(JsonArray nodes, String field, String value) {
    return nodes.stream().map(JsonObject.class::cast).filter(n -> value.equals(n.getString(field))).findFirst();
  }

  /**
   * The node's state as `tern nodes` lists it, "absent" when it is not listed, and "unreachable" when the
   * client got no answer in time (exit 3): the emulated gateway, busy with members joining, once took
   * longer than the client waits, and a wait for a node's state must ask again rather than fail.
   */
  public static String state(String field, String value) {
    Lab.Result listed = tern("nodes", "-o", "json");
    if (listed.exit() == 3) return "unreachable";
    return find(listed.ok().jsonArray(), field, value).map(n -> n.getString("state", "up")).orElse("absent");
  }

  public static JsonObject job(String id) { return tern("ps", "-o", "json").ok().jsonArray().stream().map(JsonObject.class::cast)
      .filter(j -> id.equals(j.getString("id"))).findFirst().orElseThrow(() -> new AssertionError("job " + id + " is not listed")); }

  /** Starts a detached job as nobody on the node; returns its id. */
  public static String start(String node, String... command) {
    List<String> args = new ArrayList<>(List.of("run", "--detach", "--user", "nobody", "--node", node, "--"));
    args.addAll(List.of(command));
    return tern(args.toArray(String[]::new)).ok().stdout().trim();
  }

  /** Runs a short job on the node to its end; returns its output (through the gateway: `tern logs`). */
  public static Finished runToEnd(String node, String... command) throws Exception {
    String id = start(node, command);
    // a start takes a while on an emulated node: "starting" is not over
    waitUntil(() -> ENDED.contains(job(id).getString("state")), 600, () -> "job " + id + " did not end: " + job(id).encode());
    return new Finished(job(id), tern("logs", id).ok().stdout());
  }

  public record Finished(JsonObject job, String output) {
    public int exitCode() { return job.getInteger("exitCode", -1); }
  }

  /**
   * Presses a node VM's power button, and presses it once more, saying so, when its node is still up 2
   * minutes later: in one whole run a node under emulation showed no sign of a press in 5 minutes, while
   * the same press worked in every other run. The caller's wait decides whether the shutdown is right.
   */
  public static void pressPowerButton(String vmName, String nodeName) throws Exception {
    for (int press = 1; press <= 2; press++) {
      vm(60, "power-button", vmName).ok();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < deadline) {
        if (!"up".equals(state("name", nodeName))) return;
        Lab.sleep(3_000);
      }
      System.out.printf("vm: %s's node %s is still up 2 minutes after press %d of its power button%n", vmName, nodeName, press);
    }
    throw new AssertionError(vmName + " did not react to its power button, pressed twice; its console ends: " + tail(console(vmName)));
  }

  /** The end of a console, for a failure's message. */
  public static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }

  public static String console(String vmName) {
    try {
      return Files.readString(VM.resolve(vmName + ".console"));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The admin tokens the gateway printed on its console, one per boot. Anywhere in a line: the serial
   * getty's terminal probe (escape sequences) sometimes lands on the console just before it.
   */
  public static List<String> printedTokens() {
    List<String> tokens = new ArrayList<>();
    java.util.regex.Matcher m = PRINTED_TOKEN.matcher(console("gateway"));
    while (m.find()) tokens.add(m.group(1));
    return tokens;
  }

  /**
   * The cluster secret, read from the gateway's data partition on its disk (the second partition of
   * the VM's disk file), as anyone holding the gateway's disk could read it; empty when it is not there.
   */
  public static String clusterSecretOnDisk() throws IOException {
    Path disk = VM.resolve("gateway.img");
    JsonObject table = new JsonObject(Lab.run(List.of("sfdisk", "-J", disk.toString()), null, 30).ok().stdout());
    JsonObject data = table.getJsonObject("partitiontable").getJsonArray("partitions").getJsonObject(1);
    Path copy = Files.createTempFile("tern-data", ".ext4");
    try {
      Lab.run(List.of("dd", "if=" + disk, "of=" + copy, "bs=512", "skip=" + data.getLong("start"),
          "count=" + data.getLong("size"), "conv=sparse", "status=none"), null, 300).ok();
      // the running gateway's last writes may be in its journal only: debugfs reads no journal, so
      // the copy replays it first, as a mount would (0: nothing to do, 1: replayed)
      Lab.Result replay = Lab.run(List.of("e2fsck", "-y", "-E", "journal_only", copy.toString()), null, 120);
      if (replay.exit() > 1) throw new AssertionError("e2fsck could not replay the data partition's journal: " + replay.stdout() + replay.stderr());
      return Lab.run(List.of("debugfs", "-R", "cat /secrets/cluster-secret", copy.toString()), null, 60).ok().stdout().trim();
    } finally {
      Files.deleteIfExists(copy);
    }
  }
}
