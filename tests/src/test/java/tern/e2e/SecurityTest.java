package tern.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster member without the cluster secret cannot make a migrator do anything. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class SecurityTest {

  @Test
  void commandsWithoutTheClusterSecretAreRefusedAndChangeNothing() {
    String job = Lab.start(Lab.workDir("sec"), "n1", "sleep", "1000");
    String classpath = System.getProperty("java.class.path");
    List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/tern-gw", "--",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        Intruder.class.getName(), "10.78.0.1", "10.78.0.1", "n1", job));
    Lab.Result r = Lab.run(argv, null, 120);
    List<String> lines = r.stdout().lines().filter(l -> l.startsWith("REFUSED") || l.startsWith("ACCEPTED") || l.startsWith("ERROR")).toList();
    assertEquals(2, lines.size(), "intruder output: " + r.stdout() + r.stderr());
    for (String l : lines) assertTrue(l.startsWith("REFUSED 403"), "migrator must refuse: " + l);
    assertTrue(lines.get(0).contains("no cluster proof"), lines.get(0));
    assertTrue(lines.get(1).contains("proof is wrong"), lines.get(1));
    assertEquals("running", Lab.job(job).getString("state"));
    assertEquals(List.of("n1"), Lab.placesRunning(job));
    Lab.tern("kill", job).ok();
  }
}
