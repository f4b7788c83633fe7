package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Appliance.tail;
import static tern.e2e.Appliance.waitUntil;

/**
 * The appliance as a person installs it, in virtual machines under emulation: the gateway boots from
 * its disk image, diskless nodes boot from it over the network and join once the admin accepts them,
 * and jobs run, talk and migrate on them. One VM set for the whole class (booting one takes minutes),
 * so the tests run in order and each leaves the cluster as the next expects it.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplianceVmTest {
  /**
   * node1 has an older CPU (Sandy Bridge: AVX, no AVX2, BMI or FMA), node2 a newer one (Haswell). Both
   * save the same registers (XSAVE with AVX's): CRIU cannot restore a process on a CPU without registers
   * of the CPU it was dumped on, whatever CPU the job started on (seen with qemu64, which has no XSAVE),
   * and Tern refuses such a move (CpuFeatures); qemu's "max" has protection keys, which would keep a
   * job started on node1 from coming back from node2.
   */
  private static final String POOR_MAC = "52:54:00:7e:01:01";
  private static final String RICH_MAC = "52:54:00:7e:01:02";
  private static final String NEW_MAC = "52:54:00:7e:01:03";
  private static final String POOR = "poor";
  private static final String RICH = "rich";
  /** Under emulation a gateway boots in 1-3 minutes, a node over the network in 2-4 (PLATFORM.md). */
  private static final int BOOT_S = 900;
  private String token;

  @BeforeAll
  void bootTheAppliance() {
    assertTrue(Files.isRegularFile(Appliance.IMAGE), "no gateway image at " + Appliance.IMAGE + ": build it first (tern image)");
    Appliance.vm(120, "down", "--wipe");
    long t0 = System.nanoTime();
    Appliance.vm(BOOT_S, "up", "--nodes", "2", "--node-cpu", "SandyBridge,Haswell-noTSX").ok();
    System.out.printf("vm: the gateway's API answered %d s after the VMs started%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
  }

  @AfterAll
  void shutDown() {
    Appliance.vm(120, "down");
  }

  @Test
  @Order(1)
  void theGatewayAnswersOnItsOutsideAddressWithTheTokenOfItsFirstBoot() throws Exception {
    List<String> printed = Appliance.printedTokens();
    assertEquals(1, printed.size(), "one boot, one token printed on the console: " + printed);
    token = printed.get(0);
    assertEquals(token, Files.readString(Appliance.VM.resolve("admin-token")).trim());
    Appliance.tern("nodes").ok();
    HttpURLConnection wrong = (HttpURLConnection) URI.create("http://127.0.0.1:17070/v1/nodes").toURL().openConnection();
    wrong.setRequestProperty("Authorization", "Bearer " + "0".repeat(token.length()));
    assertEquals(401, wrong.getResponseCode(), "a wrong token is refused");
  }

  @Test
  @Order(2)
  void disklessNodesBootOverTheNetworkAndJoinOnceAccepted() throws Exception {
    long t0 = System.nanoTime();
    waitUntil(() -> "pending".equals(Appliance.state("mac", POOR_MAC)) && "pending".equals(Appliance.state("mac", RICH_MAC)), BOOT_S,
        () -> "the node VMs never asked to join: " + Appliance.nodes().encode() + "\n" + tail(Appliance.console("node1")));
    System.out.printf("vm: both node VMs were waiting to be accepted after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    assertEquals("absent", Appliance.state("name", POOR), "a PC takes part only once accepted");
    Appliance.tern("nodes", "accept", POOR_MAC, "--name", POOR).ok();
    Appliance.tern("nodes", "accept", RICH_MAC, "--name", RICH).ok();
    // the third PC boots while the tests below run; it must wait for the admin (test 5)
    Appliance.vm(60, "node", "--cpu", "max").ok();
    waitUntil(() -> "up".equals(Appliance.state("name", POOR)) && "up".equals(Appliance.state("name", RICH)), 300,
        () -> "accepted nodes did not come up: " + Appliance.nodes().encode());
    System.out.printf("vm: both nodes listed up %d s after they asked%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    assertEquals(POOR_MAC, Appliance.node("name", POOR).orElseThrow().getString("mac"));
    for (String node : List.of(POOR, RICH)) {
      Appliance.Finished f = Appliance.runToEnd(node, "sh", "-c", "grep ' / ' /proc/mounts; cat /proc/self/cgroup; touch /tern-probe");
      assertTrue(f.output().matches("(?s).* / nfs ro[,\\s].*"), node + "'s root must be read-only NFS: " + f.output());
      assertTrue(f.output().contains("Read-only file system"), node + ": writing to the root must fail: " + f.output());
      // the unified cgroup tree (v2), as Buildroot's systemd has it: one line, the job's own cgroup
      assertTrue(f.output().matches("(?s)(.*\\n)?0::/tern/" + node + "/j\\d+\\n.*"), node + ": the job's cgroup (v2): " + f.output());
    }
  }

  @Test
  @Order(3)
  void aJobTalksThroughTheGatewaysNatAndMovesToTheOtherNodeAndBack() throws Exception {
    String talker = Files.readString(Lab.ROOT.resolve("tests/src/test/resources/jobs/talker.py"));
    String stop = "/var/tmp/tern-jobs/vm-talker-stop-" + System.nanoTime();
    try (OutsidePeer peer = new OutsidePeer("127.0.0.1")) {
      String id = Appliance.start(POOR, "python3", "-c", talker, Appliance.HOST_FROM_INSIDE, Integer.toString(peer.port()), stop, "0.05");
      waitUntil(() -> peer.lastLine.get() > 10, 600, () -> "the talker never reached the peer: " + Appliance.job(id).encode());
      for (String to : List.of(RICH, POOR)) {
        long before = peer.lastLine.get();
        JsonObject rec = Appliance.tern("migrate", id, "--to", to, "-o", "json").ok().json();
        assertEquals("committed", rec.getString("state"), rec.encode());
        assertEquals(to, Appliance.job(id).getString("node"));
        waitUntil(() -> peer.lastLine.get() > before + 5, 300, () -> "the conversation stalled after the move to " + to);
        System.out.printf("vm: moved to %s, frozen %s ms%n", to, rec.getValue("freezeMs"));
      }
      Appliance.runToEnd(RICH, "touch", stop);
      String outcome = peer.outcome.get(120, TimeUnit.SECONDS);
      assertTrue(outcome.startsWith("ok "), "the peer on the host: " + outcome);
      waitUntil(() -> Appliance.ENDED.contains(Appliance.job(id).getString("state")), 300, () -> "the talker did not end");
      assertEquals(0, Appliance.job(id).getInteger("exitCode"), "talker (3: echo mismatch, 4: connection broke): " + Appliance.job(id).encode());
    }
  }

  @Test
  @Order(4)
  void neitherAJobNorAReaderOfTheExportOrTftpFilesGetsTheClusterSecret() throws Exception {
    Appliance.Finished f = Appliance.runToEnd(POOR, "sh", "-c", "ls -l /run/tern/cluster-secret; cat /run/tern/cluster-secret");
    assertNotEquals(0, f.exitCode(), "a job read the cluster secret: " + f.output());
    assertTrue(f.output().contains("Permission denied"), f.output());
    assertTrue(f.output().startsWith("-rw------- 1 root root"), "the node keeps it root's: " + f.output());
    String secret = Appliance.clusterSecretOnDisk();
    assertTrue(secret.length() >= 32, "the data partition holds the secret: '" + secret + "'");
    for (String tree : List.of("node-root", "tftp")) {
      Lab.Result grep = Lab.run(List.of("grep", "-rlF", secret, Appliance.OUT.resolve(tree).toString()), null, 300);
      assertEquals(1, grep.exit(), "the secret is in what the gateway serves to the LAN (" + tree + "): " + grep.stdout());
    }
  }

  @Test
  @Order(5)
  void aNewPcBootsButJoinsOnlyOnceAccepted() throws Exception {
    waitUntil(() -> "pending".equals(Appliance.state("mac", NEW_MAC)), BOOT_S,
        () -> "the third PC never asked to join: " + Appliance.nodes().encode() + "\n" + tail(Appliance.console("node3")));
    Lab.sleep(10_000);
    assertEquals("pending", Appliance.state("mac", NEW_MAC), "still waiting for the admin: " + Appliance.nodes().encode());
    Appliance.tern("nodes", "accept", NEW_MAC, "--name", "late").ok();
    waitUntil(() -> "up".equals(Appliance.state("name", "late")), 300, () -> "the accepted PC did not join: " + Appliance.nodes().encode());
    // it has done its part: switched off cleanly, so that the two others have the machine's cores
    Appliance.pressPowerButton("node3", "late");
    waitUntil(() -> !"up".equals(Appliance.state("name", "late")), 300, () -> "node3 did not leave");
  }

  @Test
  @Order(6)
  void aJobThatMayUseTheRicherCpuIsNotMovedToThePoorerOne() throws Exception {
    String onRich = Appliance.start(RICH, "sleep", "600");
    Lab.Result refused = Appliance.tern("migrate", onRich, "--to", POOR);
    assertNotEquals(0, refused.exit(), "a move to a CPU without the job's features: " + refused.stdout());
    assertTrue(refused.stderr().contains(POOR) && refused.stderr().toLowerCase().contains("cpu"),
        "the refusal names the node and the CPU: " + refused.stderr());
    JsonObject job = Appliance.job(onRich);
    assertEquals("running", job.getString("state"));
    assertEquals(RICH, job.getString("node"), "the job stays where it was");
    String onPoor = Appliance.start(POOR, "sleep", "600");
    JsonObject rec = Appliance.tern("migrate", onPoor, "--to", RICH, "-o", "json").ok().json();
    assertEquals("committed", rec.getString("state"), rec.encode());
    Appliance.tern("kill", onRich).ok();
    Appliance.tern("kill", onPoor).ok();
  }

  @Test
  @Order(7)
  void aRebootedGatewayKeepsItsTokenAndClusterSecret() throws Exception {
    String secret = Appliance.clusterSecretOnDisk();
    assertTrue(secret.length() >= 32, "the data partition holds the secret before the reboot: '" + secret + "'");
    Appliance.vm(60, "reset", "gateway").ok();
    long t0 = System.nanoTime();
    waitUntil(() -> Appliance.printedTokens().size() == 2, BOOT_S, () -> "the gateway did not boot again: " + tail(Appliance.console("gateway")));
    assertEquals(List.of(token, token), Appliance.printedTokens(), "the same token after a reboot");
    // the nodes keep the secret they were given: they are listed up again only if it still holds
    waitUntil(() -> Appliance.tern("nodes").exit() == 0 && "up".equals(Appliance.state("name", POOR)) && "up".equals(Appliance.state("name", RICH)),
        BOOT_S, () -> "the nodes did not come back after the gateway's reboot: " + Appliance.tern("nodes").stdout());
    System.out.printf("vm: gateway rebooted, both nodes up again after %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    assertEquals(secret, Appliance.clusterSecretOnDisk(), "the cluster secret on the data partition");
  }

  @Test
  @Order(8)
  void aNodeSwitchedOffWithItsPowerButtonHandsItsJobOverFirst() throws Exception {
    String id = Appliance.start(POOR, "sleep", "600");
    Appliance.pressPowerButton("node1", POOR);
    // the node's state is read before the job's: a node gone while its job had not moved yet fails
    waitUntil(() -> {
      String poor = Appliance.state("name", POOR);
      JsonObject job = Appliance.job(id);
      if ("running".equals(job.getString("state")) && RICH.equals(job.getString("node"))) return true;
      assertFalse("down".equals(poor) || "absent".equals(poor), "node1 went before its job moved: " + job.encode());
      return false;
    }, 600, () -> "the job was not handed over: " + Appliance.job(id).encode());
    waitUntil(() -> !"up".equals(Appliance.state("name", POOR)) && !"draining".equals(Appliance.state("name", POOR)), 600,
        () -> "node1 did not go: " + Appliance.nodes().encode());
    assertEquals("running", Appliance.job(id).getString("state"));
  }
}
