package tern.migration;

import org.junit.jupiter.api.Test;
import tern.os.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real node's systemd unit lets the migrator finish what SIGTERM starts: a drain of the node. */
class MigratorServiceTest {
  private static final Path UNIT = Path.of("..", "node-image", "appliance", "systemd", "tern-migrator.service");
  /** What systemd gives a stopping service when its unit says nothing (DefaultTimeoutStopSec). */
  private static final long SYSTEMD_DEFAULT_MS = 90_000;

  @Test
  void systemdWaitsLongerForTheMigratorToStopThanItsDrainMayTake() throws Exception {
    long stopMs = stopTimeoutMs(Files.readAllLines(UNIT));
    assertTrue(stopMs > NodeShutdown.LONGEST_STOP_MS, UNIT + ": systemd kills the migrator after " + stopMs / 1000
        + " s, before its drain and a last migration may end (" + NodeShutdown.LONGEST_STOP_MS / 1000 + " s)");
  }

  /** systemd ignores a misspelt key with a mere warning: any word from its check is a finding. */
  @Test
  void unitPassesSystemdsOwnCheck() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "no systemd-analyze on this machine");
    Command.Result r = Command.of("systemd-analyze", "verify", UNIT.toString()).runAllowingFailure(60);
    assertEquals(new Command.Result(0, "", ""), r, "systemd-analyze verify " + UNIT);
  }

  @Test
  void stopTimeoutIsReadAsSystemdReadsIt() {
    assertEquals(SYSTEMD_DEFAULT_MS, stopTimeoutMs(List.of("[Service]", "KillMode=process")));
    assertEquals(330_000, stopTimeoutMs(List.of("[Service]", "TimeoutStopSec=330")));
    assertEquals(330_000, stopTimeoutMs(List.of("[Service]", "TimeoutStopSec = 5min 30s")));
    assertEquals(Long.MAX_VALUE, stopTimeoutMs(List.of("[Service]", "TimeoutStopSec=infinity")));
  }

  /** TimeoutStopSec of the [Service] section, in the forms a unit file uses (seconds, or "5min 30s"). */
  private static long stopTimeoutMs(List<String> unit) {
    long ms = SYSTEMD_DEFAULT_MS;
    for (String line : unit) {
      String[] kv = line.split("=", 2);
      if (kv.length < 2 || !kv[0].trim().equals("TimeoutStopSec")) continue;
      String value = kv[1].trim();
      if (value.equals("infinity")) return Long.MAX_VALUE;
      ms = 0;
      for (String part : value.split("\\s+")) {
        String number = part.replaceAll("[^0-9]", ""), unitName = part.replaceAll("[0-9]", "");
        long factor = switch (unitName) {
          case "", "s", "sec" -> 1000;
          case "min", "m" -> 60_000;
          case "h", "hr" -> 3_600_000;
          default -> throw new IllegalArgumentException("unexpected TimeoutStopSec in " + UNIT + ": " + value);
        };
        ms += Long.parseLong(number) * factor;
      }
    }
    return ms;
  }
}
