package tern.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobOutputTest {
  @TempDir Path dir;

  @Test
  void theTailStartsAfterTheNewlineBeforeTheLastLinesAndCountsALastLineWithoutItsNewline() throws Exception {
    Path file = dir.resolve("out");
    Files.writeString(file, "one\ntwo\nthree\nfour");
    long size = Files.size(file);
    assertEquals("three\nfour", Files.readString(file).substring((int) JobOutput.tailStart(file, 2, size)));
    assertEquals(0, JobOutput.tailStart(file, 10, size));
    assertEquals(size, JobOutput.tailStart(file, 0, size));
  }

  @Test
  void aTailNeverReachesFurtherBackThanItsByteLimitHoweverLongTheLines() throws Exception {
    Path file = dir.resolve("out");
    byte[] noNewline = new byte[(int) (3 * JobOutput.MAX_TAIL_BYTES)];
    java.util.Arrays.fill(noNewline, (byte) 'x');
    Files.write(file, noNewline);
    long size = Files.size(file);
    assertEquals(size - JobOutput.MAX_TAIL_BYTES, JobOutput.tailStart(file, 100, size));
  }
}
