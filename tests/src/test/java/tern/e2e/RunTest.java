package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** A job runs in the caller's directory, with the caller's environment, as the submitting user, where it was put. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class RunTest {

  @Test
  void jobRunsInTheCallersDirectoryWithItsEnvironmentAsTheUser() throws Exception {
    Path dir = Lab.workDir("run");
    List<String> argv = List.of(Lab.ROOT.resolve("tern").toString(), "run", "--detach", "--user", "nobody", "--node", "n2", "--",
        "/bin/sh", "-c", "pwd > where; echo \"$TERN_TEST_VALUE\" >> where; id -u >> where; echo out-line");
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    pb.environment().put("TERN_TEST_VALUE", "hello from the caller");
    Process p = pb.start();
    String id = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor());
    waitUntil(() -> "exited".equals(Lab.job(id).getString("state")), 30, () -> "job did not end");
    JsonObject job = Lab.job(id);
    assertEquals("n2", job.getString("node"));
    assertEquals(0, job.getInteger("exitCode"));
    List<String> where = Files.readAllLines(dir.resolve("where"));
    assertEquals(List.of(dir.toRealPath().toString(), "hello from the caller", "65534"), where);
    assertEquals("out-line\n", Files.readString(Path.of(job.getString("output"))));
  }

  @Test
  void exitStatusIsReported() throws Exception {
    String id = Lab.start(Lab.workDir("exit"), null, "/bin/sh", "-c", "exit 7");
    waitUntil(() -> "exited".equals(Lab.job(id).getString("state")), 30, () -> "job did not end");
    assertEquals(7, Lab.job(id).getInteger("exitCode"));
  }

  @Test
  void jobsWithoutANodeAreSpreadOverTheLeastLoadedNodes() throws Exception {
    Path dir = Lab.workDir("spread");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(Lab.start(dir, null, Lab.PYTHON, "-c", "while True: pass"));
      Lab.sleep(2500);  // let the node's load sample see the new hog
    }
    Set<String> nodes = new HashSet<>();
    for (String id : ids) nodes.add(Lab.job(id).getString("node"));
    for (String id : ids) Lab.tern("kill", id).ok();
    assertEquals(3, nodes.size(), "three CPU hogs on three idle nodes should land on three nodes: " + nodes);
  }

  @Test
  void psShowsLoadOfARunningJob() throws Exception {
    String id = Lab.start(Lab.workDir("ps"), "n3", Lab.PYTHON, "-c", "x = bytearray(30 << 20)\nwhile True: pass");
    waitUntil(() -> Lab.job(id).getDouble("cpu", 0.0) > 0.2, 20, () -> "no CPU use seen");
    JsonObject job = Lab.job(id);
    assertTrue(job.getLong("rssBytes") > 30L << 20, job.encode());
    assertTrue(job.getLong("hostPid") > 1);
    assertTrue(Files.exists(Path.of("/proc/" + job.getLong("hostPid"))));
    String table = Lab.tern("ps").ok().stdout();
    assertTrue(table.lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("n3") && l.contains("running")), table);
    Lab.tern("kill", id).ok();
  }
}
