package tern.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a node's CPU lets user code run: its architecture and its instruction-set features, as
 * /proc/cpuinfo names them. A job may have probed CPUID when it started and picked code paths for
 * what it found (a libc's memcpy, a JIT, a codec), so it can run only on CPUs that have every
 * feature of the CPU it started on. Pure: the text of /proc/cpuinfo comes in, nothing is read here.
 *
 * @param arch     the JVM's name of the architecture (amd64, aarch64): no image moves between two
 * @param model    the model name (x86's "model name", else "Model", else implementer and part)
 * @param features only the flags that say what instructions user code may run, sorted
 */
public record CpuFeatures(String arch, String model, SortedSet<String> features) {
  /**
   * x86 flags that name instructions user code may execute, besides the families below. Left out on
   * purpose: what the kernel alone uses (xsaves, invpcid, smap), what only tunes speed (erms, fsrm,
   * rep_good), what describes the machine (hypervisor, constant_tsc, nonstop_tsc, tsc_known_freq,
   * cpuid, topoext), power management, and the mitigations and bugs (ibrs, ssbd, md_clear): two
   * PCs that differ only there run the same code.
   */
  private static final Set<String> X86_INSTRUCTIONS = Set.of(
      "cmov", "cx8", "cx16", "fxsr", "mmx", "mmxext", "3dnow", "3dnowext", "3dnowprefetch", "pni", "pclmulqdq",
      "popcnt", "movbe", "aes", "vaes", "vpclmulqdq", "gfni", "f16c", "rdrand", "rdseed", "adx", "lahf_lm", "abm",
      "lzcnt", "misalignsse", "xop", "tbm", "xsave", "xsaveopt", "xsavec", "xgetbv1", "clflush", "clflushopt", "clwb",
      "clzero", "rdtscp", "rdpid", "movdiri", "movdir64b", "serialize", "hle", "rtm", "tsxldtrk", "fsgsbase", "pku",
      "waitpkg", "cldemote", "mwaitx", "cmpccxadd", "prefetchi", "sm3", "sm4");
  /** x86 families of instruction sets: SSE, SSSE3, AVX (AVX2, AVX-512, AVX-VNNI...), AMX, SHA, FMA, BMI. */
  private static final List<String> X86_FAMILIES = List.of("sse", "ssse3", "avx", "amx", "sha", "fma", "bmi");
  /**
   * x86 features that add registers to a thread's saved state (XSAVE and its components: AVX's, AVX-512's,
   * the protection keys', AMX's): CRIU dumps the state the CPU saves, whatever the job used, and cannot
   * restore it on a CPU without those registers ("FPU xsave area present, but host cpu doesn't support
   * it"). So a job that moved to a richer CPU cannot go back to the poorer one it started on.
   */
  private static final List<String> X86_SAVED_STATE = List.of("xsave", "avx", "avx512f", "pku", "amx_tile");
  /**
   * The one 64-bit ARM hwcap that is no instruction: the kernel's timer event stream. Every other
   * "Features" word is a hwcap, which by definition says what user code may use.
   */
  private static final Set<String> ARM_NOT_INSTRUCTIONS = Set.of("evtstrm");

  public CpuFeatures {
    features = new TreeSet<>(features);
  }

  /** The CPU that /proc/cpuinfo's text describes (its first processor: the kernel lists the features every CPU has). */
  public static CpuFeatures parse(String cpuinfo, String arch) {
    String model = null, implementer = null, part = null, flags = null, armFeatures = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
      switch (key) {
        case "model name", "Model" -> model = model == null ? value : model;
        case "CPU implementer" -> implementer = implementer == null ? value : implementer;
        case "CPU part" -> part = part == null ? value : part;
        case "flags" -> flags = flags == null ? value : flags;
        case "Features" -> armFeatures = armFeatures == null ? value : armFeatures;
        default -> { }
      }
    }
    if (model == null) model = implementer == null ? "unknown" : "implementer " + implementer + " part " + part;
    SortedSet<String> features = new TreeSet<>();
    if (flags != null) {
      for (String f : flags.split("\\s+")) if (isX86Instruction(f)) features.add(f);
    } else if (armFeatures != null) {
      for (String f : armFeatures.split("\\s+")) if (!f.isEmpty() && !ARM_NOT_INSTRUCTIONS.contains(f)) features.add(f);
    } else {
      throw new IllegalArgumentException("/proc/cpuinfo has neither a 'flags' nor a 'Features' line: the CPU's features are unknown");
    }
    return new CpuFeatures(arch, model, features);
  }

  static boolean isX86Instruction(String flag) {
    return X86_INSTRUCTIONS.contains(flag) || X86_FAMILIES.stream().anyMatch(flag::startsWith);
  }

  /**
   * This CPU as if it lacked the withheld features: what an admin reports to keep a node's jobs
   * portable to older PCs (and what the lab does to stand in for an older CPU). A name that is no
   * instruction-set feature is refused, so that a typing error does not pass as a feature withheld.
   */
  public CpuFeatures without(Collection<String> withheld) {
    List<String> unknown = new ArrayList<>();
    for (String f : withheld) {
      boolean instruction = arch.equals("aarch64") ? !ARM_NOT_INSTRUCTIONS.contains(f) : isX86Instruction(f);
      if (!instruction) unknown.add(f);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not instruction-set features of an " + arch + " CPU: " + String.join(", ", unknown));
    }
    SortedSet<String> left = new TreeSet<>(features);
    left.removeAll(withheld);
    return new CpuFeatures(arch, model, left);
  }

  /** The features of {@code started} that this CPU lacks, sorted. */
  public List<String> missing(CpuFeatures started) {
    return started.features.stream().filter(f -> !features.contains(f)).toList();
  }

  /**
   * Why a job that may use the features of {@code started} (the CPU of node {@code startNode}, where
   * it started) cannot run on this CPU (node {@code node}); empty when it can. {@code here}: the CPU of
   * node {@code hereNode}, where the job runs now (null: unknown), whose register state its dump carries.
   */
  public Optional<String> unfitFor(CpuFeatures started, String startNode, CpuFeatures here, String hereNode, String node) {
    if (!arch.equals(started.arch)) {
      return Optional.of(node + " is an " + arch + " machine and the job started on an " + started.arch + " one (" + startNode + ")");
    }
    List<String> missing = missing(started);
    if (!missing.isEmpty()) {
      return Optional.of(node + "'s CPU lacks " + String.join(", ", missing) + ", which the job may use (it started on " + startNode + ")");
    }
    List<String> state = here == null ? List.of() : X86_SAVED_STATE.stream().filter(f -> here.features.contains(f) && !features.contains(f)).toList();
    if (state.isEmpty()) return Optional.empty();
    return Optional.of(node + "'s CPU lacks " + String.join(", ", state) + ", whose registers the job's dump would carry from " + hereNode
        + " (CRIU restores a register state only on a CPU that has it)");
  }

  public JsonObject toJson() {
    return new JsonObject().put("arch", arch).put("model", model).put("features", new JsonArray(new ArrayList<>(features)));
  }

  /** Read back from {@link #toJson}; what is absent is unknown (a CPU known by nothing offers no feature). */
  public static CpuFeatures fromJson(JsonObject json) {
    SortedSet<String> features = new TreeSet<>();
    for (Object f : json.getJsonArray("features", new JsonArray())) features.add(String.valueOf(f));
    return new CpuFeatures(json.getString("arch", "unknown"), json.getString("model", "unknown"), features);
  }
}
