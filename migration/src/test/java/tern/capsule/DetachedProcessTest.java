package tern.capsule;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedProcessTest {
  private long started;

  @AfterEach
  void endWhatWasStarted() {
    if (started != 0) ProcessHandle.of(started).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void aProcessLetGoRunsOnButIsNoLongerOurChild() throws Exception {
    long letGo;
    try (DetachedProcess p = DetachedProcess.start(new ProcessBuilder(), List.of("sleep", "30"))) {
      started = p.pid();
      letGo = System.nanoTime();
    }
    // a job's start waits for this
    assertTrue(System.nanoTime() - letGo < 1_000_000_000L, "letting the process go took " + (System.nanoTime() - letGo) / 1_000_000 + " ms");
    Thread.sleep(300);
    assertTrue(JobProbe.alive(started), "the process ended with its shell");
    assertEquals("sleep", JobProbe.name(started));
    long parent = ProcessHandle.of(started).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
    assertNotEquals(ProcessHandle.current().pid(), parent, "process " + started + " is still a child of this JVM");
  }

  @Test
  void theExitStatusOfAProcessThatEndedBeforeItWasLetGoIsReported() throws Exception {
    try (DetachedProcess p = DetachedProcess.start(new ProcessBuilder(), List.of("/bin/sh", "-c", "exit 3"))) {
      long pid = p.pid();
      for (int i = 0; i < 200 && JobProbe.alive(pid); i++) Thread.sleep(10);
      assertFalse(JobProbe.alive(pid), "sh -c 'exit 3' is still running");
      assertEquals(3, p.exitStatus());
    }
  }

  @Test
  void theProcessRunsInTheBuildersDirectoryAndEnvironmentWithNoInputOrOutput() throws Exception {
    Path dir = Files.createTempDirectory("tern-detached");
    ProcessBuilder pb = new ProcessBuilder().directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("GREETING", "hello");
    try (DetachedProcess p = DetachedProcess.start(pb, List.of("/bin/sh", "-c", "{ pwd; echo \"$GREETING\"; cat; } > seen"))) {
      for (int i = 0; i < 200 && JobProbe.alive(p.pid()); i++) Thread.sleep(10);
      assertEquals(0, p.exitStatus());
    }
    assertEquals(dir.toRealPath() + "\nhello\n", Files.readString(dir.resolve("seen")));
    Files.delete(dir.resolve("seen"));
    Files.delete(dir);
  }
}
