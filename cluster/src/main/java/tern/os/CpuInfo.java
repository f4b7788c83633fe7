package tern.os;

import tern.cluster.CpuFeatures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The node's CPU as the kernel reports it in /proc/cpuinfo. */
public final class CpuInfo {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private CpuInfo() { }

  /** This machine's CPU: its architecture (the JVM's name for it), model and instruction-set features. */
  public static CpuFeatures local() {
    try {
      return CpuFeatures.parse(Files.readString(CPUINFO), System.getProperty("os.arch"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CPUINFO + ": " + e.getMessage(), e);
    }
  }
}
