package tern.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tern.e2e.KillStartedJobs;
import tern.e2e.Lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What `tern run` adds to a command: `tern run -- true` (interactive, so it waits for the job's exit
 * status) against `true` run locally, each started the same way, median of 50 runs, interleaved.
 * For the breakdown it also measures `tern --help` (the client's JVM start alone) and a detached
 * `tern run --detach -- true`. Not a test: it prints a table and writes tests/bench/out/start.md.
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class StartOverheadBench {
  static final int RUNS = 50;

  @Test
  void ternRunTrueAgainstLocalTrue() throws Exception {
    Path dir = Lab.workDir("start");
    String tern = Lab.ROOT.resolve("tern").toString();
    List<String> local = List.of("/bin/true");
    List<String> remote = List.of(tern, "run", "--user", "nobody", "--", "true");
    List<String> detached = List.of(tern, "run", "--detach", "--user", "nobody", "--", "true");
    List<String> help = List.of(tern, "--help");
    for (int i = 0; i < 3; i++) time(remote, dir);  // the first run makes the client's class-data archive
    List<Long> tLocal = new ArrayList<>(), tRemote = new ArrayList<>(), tDetached = new ArrayList<>(), tHelp = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      tLocal.add(time(local, dir));
      tRemote.add(time(remote, dir));
      tHelp.add(time(help, dir));
      tDetached.add(time(detached, dir));
    }
    double l = FreezeTimeBench.median(tLocal) / 1e6, r = FreezeTimeBench.median(tRemote) / 1e6;
    double h = FreezeTimeBench.median(tHelp) / 1e6, d = FreezeTimeBench.median(tDetached) / 1e6;
    String table = String.format("""
        | command | median of %d |
        | --- | --- |
        | `true` (local) | %.1f ms |
        | `tern run -- true` | %.1f ms |
        | added by tern run | %.1f ms (target < 50 ms: %s) |
        | of which: `tern --help` (launcher and client JVM, no request) | %.1f ms |
        | `tern run --detach -- true` (answer once the job is started) | %.1f ms |
        """, RUNS, l, r, r - l, r - l < 50 ? "met" : "MISSED", h, d);
    System.out.println(table);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("start.md"), table);
  }

  /** Wall time of one run, in nanoseconds; the command must succeed. */
  static long time(List<String> argv, Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    long t0 = System.nanoTime();
    int status = pb.start().waitFor();
    long t = System.nanoTime() - t0;
    if (status != 0) throw new AssertionError(argv + " exited " + status);
    return t;
  }
}
