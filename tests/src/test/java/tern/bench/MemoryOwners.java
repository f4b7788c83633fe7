package tern.bench;

import tern.e2e.Lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who in one JVM holds what: its live heap by the library of each object's class (GC.class_histogram,
 * after a full collection), its loaded classes by library (VM.class_hierarchy: their metadata is
 * metaspace and archive), and its threads by the library that named them. A library's objects held in
 * the JDK's own types (a Hazelcast map's byte arrays, say) count as the JDK's: the heap figures for
 * the libraries are lower bounds.
 */
record MemoryOwners(Map<String, Long> heapBytes, Map<String, Integer> classes, Map<String, Integer> threads) {
  static final List<String> OWNERS = List.of("Hazelcast", "Vert.x and Netty", "Tern", "JDK and other");
  private static final Pattern HISTOGRAM = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern HIERARCHY = Pattern.compile("([\\w.$]+)/");

  static MemoryOwners of(long pid) {
    Map<String, Long> heap = zeros(0L);
    for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
      Matcher m = HISTOGRAM.matcher(line);
      if (m.find()) heap.merge(ownerOfClass(m.group(2)), Long.parseLong(m.group(1)), Long::sum);
    }
    Map<String, Integer> classes = zeros(0);
    for (String line : jcmd(pid, "VM.class_hierarchy").split("\n")) {
      Matcher m = HIERARCHY.matcher(line);
      if (m.find()) classes.merge(ownerOfClass(m.group(1)), 1, Integer::sum);
    }
    Map<String, Integer> threads = zeros(0);
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks.toList()) threads.merge(ownerOfThread(Files.readString(t.resolve("comm")).trim()), 1, Integer::sum);
    } catch (IOException e) {
      throw new AssertionError("cannot list the threads of " + pid + ": " + e.getMessage(), e);
    }
    return new MemoryOwners(heap, classes, threads);
  }

  /** An array's owner is its element's: [Lcom.hazelcast...; is Hazelcast's. */
  static String ownerOfClass(String name) {
    String n = name.replaceFirst("^\\[+L", "");
    if (n.startsWith("com.hazelcast.")) return OWNERS.get(0);
    if (n.startsWith("io.vertx.") || n.startsWith("io.netty.")) return OWNERS.get(1);
    if (n.startsWith("tern.")) return OWNERS.get(2);
    return OWNERS.get(3);
  }

  /** Thread names as the kernel keeps them (15 characters): Hazelcast's begin with "hz.", Vert.x's with "vert.x-". */
  static String ownerOfThread(String comm) {
    if (comm.startsWith("hz.")) return OWNERS.get(0);
    if (comm.startsWith("vert.x-") || comm.startsWith("vertx-")) return OWNERS.get(1);
    if (List.of("load-sampler", "balancer", "retention", "gateway-outbox", "image-receiver").stream().anyMatch(comm::startsWith)) {
      return OWNERS.get(2);
    }
    return OWNERS.get(3);
  }

  private static <T> Map<String, T> zeros(T zero) {
    Map<String, T> m = new LinkedHashMap<>();
    for (String o : OWNERS) m.put(o, zero);
    return m;
  }

  private static String jcmd(long pid, String command) {
    return Lab.run(List.of("jcmd", Long.toString(pid), command), null, 120).ok().stdout();
  }
}
