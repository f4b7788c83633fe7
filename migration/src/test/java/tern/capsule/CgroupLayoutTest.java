package tern.capsule;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where each layout keeps a job's cgroup and how it counts CPU time; the v2 layout runs for real on the VM nodes. */
class CgroupLayoutTest {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  @Test
  void v1PlacesAJobInTheCpuAndCpuacctHierarchiesAndCountsNanoseconds() {
    assertEquals(List.of(Path.of("/sys/fs/cgroup/cpu/tern/n1/j4"), Path.of("/sys/fs/cgroup/cpuacct/tern/n1/j4")),
        CgroupLayout.V1.dirs(ROOT, "/tern/n1/j4"));
    assertEquals(Path.of("/sys/fs/cgroup/cpuacct/tern/n1/j4"), CgroupLayout.V1.accounting(ROOT, "/tern/n1/j4"));
    assertEquals(123456789L, CgroupLayout.V1.cpuNanos("123456789\n"));
  }

  @Test
  void v2PlacesAJobInOneCgroupAndReadsUsageInMicrosecondsFromCpuStat() {
    assertEquals(List.of(Path.of("/sys/fs/cgroup/tern/n1/j4")), CgroupLayout.V2.dirs(ROOT, "/tern/n1/j4"));
    assertEquals(Path.of("/sys/fs/cgroup/tern/n1/j4"), CgroupLayout.V2.accounting(ROOT, "/tern/n1/j4"));
    // as Linux 6.12 writes it, with the cpu controller enabled (the last three lines) or not
    String stat = "usage_usec 2519163\nuser_usec 1889372\nsystem_usec 629790\n"
        + "core_sched.force_idle_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n";
    assertEquals(2_519_163_000L, CgroupLayout.V2.cpuNanos(stat));
  }

  @Test
  void aCpuStatWithoutUsageIsAnErrorNotZero() {
    NumberFormatException e = assertThrows(NumberFormatException.class, () -> CgroupLayout.V2.cpuNanos("user_usec 5\n"));
    assertEquals("no usage_usec in cpu.stat: user_usec 5", e.getMessage());
  }

  @Test
  void thisHostsLayoutIsReadFromTheFileSystemMountedThere() {
    CgroupLayout expected = isCgroup2(ROOT) ? CgroupLayout.V2 : CgroupLayout.V1;
    assertEquals(expected, CgroupLayout.of(ROOT));
    assertEquals(CgroupLayout.V1, CgroupLayout.of(Path.of(System.getProperty("java.io.tmpdir"))));
  }

  private static boolean isCgroup2(Path p) {
    try {
      return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .anyMatch(l -> l.split(" ")[1].equals(p.toString()) && l.split(" ")[2].equals("cgroup2"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
