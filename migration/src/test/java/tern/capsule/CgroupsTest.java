package tern.capsule;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real cgroups (this host's layout: v1, cpu and cpuacct) made and removed by the test, outside the lab's own. */
class CgroupsTest {
  private final String path = "/tern-unit-test-" + ProcessHandle.current().pid();
  private Process inside;

  @AfterEach
  void cleanUp() throws Exception {
    if (inside != null) {
      inside.destroyForcibly();
      inside.waitFor();
    }
    for (Path d : Cgroups.dirs(path)) Files.deleteIfExists(d);
  }

  private long startInside(String... command) throws Exception {
    inside = new ProcessBuilder(Cgroups.execInside(path, List.of(command))).start();
    for (int i = 0; i < 100 && Cgroups.pids(path).isEmpty(); i++) Thread.sleep(20);
    assertEquals(List.of(inside.pid()), Cgroups.pids(path), "the process did not enter " + path);
    return inside.pid();
  }

  @Test
  @Tag("root")  // makes a cgroup under /sys/fs/cgroup
  void cgroupIsRemovedOnceItsLastProcessHasLeft() throws Exception {
    Cgroups.create(path);
    startInside("sleep", "0.5");
    Cgroups.remove(path);
    for (Path d : Cgroups.dirs(path)) assertFalse(Files.exists(d), d + " is still there");
  }

  @Test
  @Tag("root")  // makes a cgroup under /sys/fs/cgroup
  void cgroupThatStaysBusyIsReportedWithWhatIsStillInIt() throws Exception {
    Cgroups.create(path);
    long pid = startInside("sleep", "60");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cgroups.remove(path));
    assertTrue(e.getMessage().contains(path) && e.getMessage().contains(pid + " (sleep)"), e.getMessage());
  }

  @Test
  void removingACgroupThatIsGoneIsNoError() {
    Cgroups.remove(path);
  }
}
