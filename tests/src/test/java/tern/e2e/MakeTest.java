package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** make -j4 CC="tern run cc": every compiler run is a job on the cluster, and the result is the local build's. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class MakeTest {

  @Test
  void parallelBuildThroughTernMatchesTheLocalBuild() throws Exception {
    Path local = copyProject("make-local");
    Path cluster = copyProject("make-cluster");
    Lab.Result l = Lab.run(List.of("make", "-j4", "CC=cc"), local, 120);
    assertEquals(0, l.exit(), l.stderr());
    Lab.Result c = Lab.run(List.of("make", "-j4", "CC=" + Lab.ROOT.resolve("tern") + " run --user nobody cc"), cluster, 300);
    assertEquals(0, c.exit(), c.stdout() + c.stderr());
    assertArrayEquals(Files.readAllBytes(local.resolve("app")), Files.readAllBytes(cluster.resolve("app")),
        "the binary built through tern differs from the local one");
    assertEquals(Lab.run(List.of("./app"), local, 60).stdout(), Lab.run(List.of("./app"), cluster, 60).stdout());

    // the client has the job's status from its stdio; the node's report that the job is gone may come a moment later
    java.util.function.Supplier<List<JsonObject>> compilesNow = () -> Lab.jobs().values().stream()
        .filter(j -> cluster.toString().equals(j.getString("cwd")) && "cc".equals(j.getJsonArray("argv").getString(0))).toList();
    Lab.waitUntil(() -> compilesNow.get().stream().allMatch(j -> j.containsKey("exitCode")), 20,
        () -> "the nodes did not report the compiler jobs ended");
    List<JsonObject> compiles = compilesNow.get();
    assertEquals(6, compiles.size(), "five compiles and a link");
    for (JsonObject j : compiles) assertEquals(0, j.getInteger("exitCode"), j.encode());
    Set<String> nodes = compiles.stream().map(j -> j.getString("node")).collect(Collectors.toSet());
    assertTrue(nodes.size() >= 2, "compiler jobs should spread over the nodes, all ran on " + nodes);
  }

  private static Path copyProject(String name) throws Exception {
    Path dir = Lab.workDir(name);
    try (var files = Files.list(Lab.ROOT.resolve("tests/src/test/resources/cproject"))) {
      for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
    }
    return dir;
  }
}
