package tern.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real programs, run to completion or stopped at their deadline (a hung criu must not hang a migration). */
class CommandTest {
  /** Long enough for a loaded two-core machine to start and kill a process, far shorter than the programs' sleeps. */
  private static final Duration WELL_BEFORE_THE_SLEEPS_END = Duration.ofSeconds(5);

  @Test
  void returnsWhatTheProgramWroteToStdoutAndStderr() {
    Command.Result r = Command.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3").runAllowingFailure(10);
    assertEquals(new Command.Result(3, "out\n", "err\n"), r);
  }

  @Test
  void programStillRunningAtItsDeadlineIsStoppedAndReported() {
    CommandFailedException e = assertTimeoutPreemptively(WELL_BEFORE_THE_SLEEPS_END,
        () -> assertThrows(CommandFailedException.class, () -> Command.of("sleep", "30").run(1)));
    assertTrue(e.getMessage().contains("sleep 30 did not finish in 1 s"), e.getMessage());
  }

  @Test
  void childHoldingTheOutputOpenIsKilledWithItsParentAtTheDeadline(@TempDir Path dir) throws Exception {
    Path childPid = dir.resolve("child.pid");
    // the shell's child inherits stdout and stderr, as criu's children do
    Command hung = Command.of("/bin/sh", "-c", "sleep 30 & echo $! > " + childPid + "; wait");
    assertTimeoutPreemptively(WELL_BEFORE_THE_SLEEPS_END,
        () -> assertThrows(CommandFailedException.class, () -> hung.run(1)));
    long pid = Long.parseLong(Files.readString(childPid).trim());
    assertTrue(goneWithin(pid, Duration.ofSeconds(5)), "the child " + pid + " still runs");
  }

  @Test
  void outputHeldOpenByAProcessThatLeftTheTreeEndsAtTheDeadline(@TempDir Path dir) throws Exception {
    Path strayPid = dir.resolve("stray.pid");
    // the subshell exits at once, so the sleep is no descendant any more: only the deadline can end the wait.
    // The shell lingers a moment: a JDK process that exits before its pipe is read has the pipe drained and
    // closed for it (ProcessPipeInputStream.processExited), and then there is no open output to wait for.
    Command leaky = Command.of("/bin/sh", "-c", "(sleep 30 & echo $! > " + strayPid + "); echo started; sleep 0.3");
    try {
      CommandFailedException e = assertTimeoutPreemptively(WELL_BEFORE_THE_SLEEPS_END,
          () -> assertThrows(CommandFailedException.class, () -> leaky.run(1)));
      assertTrue(e.getMessage().contains("output stayed open"), e.getMessage());
    } finally {
      ProcessHandle.of(Long.parseLong(Files.readString(strayPid).trim())).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** A process is gone once it no longer exists or is a zombie waiting for its reaper (slow here). */
  private static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      try {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        if (status.lines().anyMatch(l -> l.startsWith("State:") && l.contains("Z"))) return true;
      } catch (IOException e) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
