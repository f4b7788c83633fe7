package tern.bench;

import tern.e2e.Lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one JVM's resident memory goes: what the kernel counts (/proc/PID/status) and how the JVM
 * itself splits what it committed (Native Memory Tracking, so the JVM must run with
 * -XX:NativeMemoryTracking=summary). All figures in KiB.
 */
record MemoryFootprint(long rss, long anon, long file, int threads, long heapUsed, Map<String, Long> committed) {
  private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
  private static final Pattern TOTAL = Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB");
  private static final Pattern GENERATION = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

  static MemoryFootprint of(long pid) {
    Map<String, Long> status = status(pid);
    String nmt = jcmd(pid, "VM.native_memory", "summary");
    Map<String, Long> committed = new HashMap<>();
    for (String line : nmt.split("\n")) {
      Matcher m = CATEGORY.matcher(line);
      if (m.find()) committed.put(m.group(1), Long.parseLong(m.group(2)));
      Matcher t = TOTAL.matcher(line);
      if (t.find()) committed.put("Total", Long.parseLong(t.group(1)));
    }
    if (!committed.containsKey("Java Heap")) {
      throw new AssertionError("no Native Memory Tracking in JVM " + pid
          + " (run with -Dtern.lab.javaOpts=-XX:NativeMemoryTracking=summary): " + nmt);
    }
    long heapUsed = 0;
    Matcher g = GENERATION.matcher(jcmd(pid, "GC.heap_info"));
    while (g.find()) heapUsed += Long.parseLong(g.group(1));
    return new MemoryFootprint(status.get("VmRSS"), status.get("RssAnon"), status.get("RssFile"),
        status.get("Threads").intValue(), heapUsed, committed);
  }

  long heap() { return nmt("Java Heap"); }
  /** Class metadata: the metaspace and the compressed class space. */
  long classes() { return nmt("Metaspace", "Class"); }
  long symbols() { return nmt("Symbol"); }
  /** The JDK's class-data archive, mapped from its file (RssFile). */
  long sharedClasses() { return nmt("Shared class space"); }
  long code() { return nmt("Code", "Compiler"); }
  long threadStacks() { return nmt("Thread"); }
  long gc() { return nmt("GC"); }
  /** Native buffers (Netty's direct buffers land here) and other native allocations. */
  long direct() { return nmt("Other"); }
  /** What Native Memory Tracking costs itself: a production JVM, which runs without it, saves this. */
  long tracking() { return nmt("Native Memory Tracking"); }
  long rest() {
    return nmt("Total") - heap() - classes() - symbols() - sharedClasses() - code() - threadStacks() - gc() - direct() - tracking();
  }

  private long nmt(String... categories) {
    long sum = 0;
    for (String c : categories) sum += committed.getOrDefault(c, 0L);
    return sum;
  }

  private static Map<String, Long> status(long pid) {
    Map<String, Long> fields = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        String[] kv = line.split(":\\s+", 2);
        if (kv.length == 2 && kv[1].matches("\\d+( kB)?")) fields.put(kv[0], Long.parseLong(kv[1].replace(" kB", "")));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
    }
    return fields;
  }

  private static String jcmd(long pid, String... command) {
    List<String> argv = new java.util.ArrayList<>(List.of("jcmd", Long.toString(pid)));
    argv.addAll(List.of(command));
    return Lab.run(argv, null, 60).ok().stdout();
  }
}
