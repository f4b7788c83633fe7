package tern.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node's memory as the kernel reports it in /proc/meminfo. */
public final class MemInfo {
  private static final Path MEMINFO = Path.of("/proc/meminfo");
  private static final Path SELF = Path.of("/proc/self/status");

  private MemInfo() { }

  /**
   * Memory that new work can have without swapping (MemAvailable), in bytes. Fails when the figure
   * cannot be read: a guess (say, "unlimited") would let a node take a job it cannot hold.
   */
  public static long availableBytes() { return field(read(), "MemAvailable"); }

  /** All the memory the kernel manages (MemTotal), in bytes. */
  public static long totalBytes() { return field(read(), "MemTotal"); }

  /** This process's own resident memory (VmRSS of /proc/self/status), in bytes: what Tern itself costs. */
  public static long selfRssBytes() { return field(read(SELF), "VmRSS", SELF); }

  private static String read() { return read(MEMINFO); }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static long availableBytes(String meminfo) { return field(meminfo, "MemAvailable"); }

  static long field(String meminfo, String name) { return field(meminfo, name, MEMINFO); }

  private static long field(String text, String name, Path source) {
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + ":")) continue;
      String[] words = line.substring(name.length() + 1).trim().split("\\s+");
      try {
        if (words.length == 2 && words[1].equals("kB")) return Math.multiplyExact(Long.parseLong(words[0]), 1024L);
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below with the line
      }
      throw new IllegalStateException("cannot read " + name + " from " + source + ": '" + line + "'");
    }
    throw new IllegalStateException("no " + name + " line in " + source + (name.equals("MemAvailable") ? " (a kernel before 3.14?)" : ""));
  }
}
