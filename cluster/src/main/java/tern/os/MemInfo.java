package tern.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node's memory as the kernel reports it in /proc/meminfo. */
public final class MemInfo {
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private MemInfo() { }

  /**
   * Memory that new work can have without swapping (MemAvailable), in bytes. Fails when the figure
   * cannot be read: a guess (say, "unlimited") would let a node take a job it cannot hold.
   */
  public static long availableBytes() {
    try {
      return availableBytes(Files.readString(MEMINFO));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MEMINFO + ": " + e.getMessage(), e);
    }
  }

  static long availableBytes(String meminfo) {
    for (String line : meminfo.split("\n")) {
      if (!line.startsWith("MemAvailable:")) continue;
      String[] words = line.substring("MemAvailable:".length()).trim().split("\\s+");
      try {
        if (words.length == 2 && words[1].equals("kB")) return Math.multiplyExact(Long.parseLong(words[0]), 1024L);
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below with the line
      }
      throw new IllegalStateException("cannot read the available memory from " + MEMINFO + ": '" + line + "'");
    }
    throw new IllegalStateException("no MemAvailable line in " + MEMINFO + " (a kernel before 3.14?)");
  }
}
