package tern.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/** A detached job's output through the gateway: tern logs -n, and -f until the job ends. */
@ExtendWith({Lab.class, KillStartedJobs.class})
class JobOutputTest {
  @Test
  void logsShowsTheLastLinesAndFollowsWhatTheJobWritesUntilItEnds() throws Exception {
    Path dir = Lab.workDir("logs");
    String job = Lab.start(dir, null, "sh", "-c", "seq 1 300 | sed 's/^/line /'; sleep 12; echo late; sleep 1; echo last");
    waitUntil(() -> Lab.tern("logs", "-n", "1", job).ok().stdout().equals("line 300\n"), 30, () -> "the job's first 300 lines");

    assertEquals("line 296\nline 297\nline 298\nline 299\nline 300\n", Lab.tern("logs", "-n", "5", job).ok().stdout());
    assertEquals(100, Lab.tern("logs", job).ok().stdout().lines().count(), "100 lines by default");
    assertEquals("", Lab.tern("logs", "-n", "0", job).ok().stdout());

    long t0 = System.nanoTime();
    Lab.Result followed = Lab.tern(List.of("logs", "-f", "-n", "2", job), 60);
    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    assertEquals("line 299\nline 300\nlate\nlast\n", followed.ok().stdout(), "what it wrote while followed, then the end");
    assertTrue(seconds >= 1 && seconds < 30, "tern logs -f ended with the job, after " + seconds + " s");
    assertEquals("exited", Lab.job(job).getString("state"));

    Lab.Result unknown = Lab.tern("logs", "j999999");
    assertEquals(1, unknown.exit(), unknown.toString());
    assertTrue(unknown.stderr().contains("unknown job j999999"), unknown.stderr());
    Lab.Result usage = Lab.tern("logs", "-n", "x", job);
    assertEquals(2, usage.exit(), usage.toString());
  }
}
