package tern.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuFeaturesTest {
  /** An Intel Core 2 (2008) on bare metal: SSE4.1, no SSE4.2, no AVX. */
  private static final String CORE2 = cpuinfo("core2-e8400.txt");
  /** A Haswell in a VM: everything the Core 2 runs, and SSE4.2, AVX2, BMI, FMA, AES... */
  private static final String HASWELL_VM = cpuinfo("haswell-vm.txt");
  private static final String RASPBERRY_PI_4 = cpuinfo("raspberry-pi-4.txt");

  private static String cpuinfo(String name) {
    try (var in = CpuFeaturesTest.class.getResourceAsStream("/cpuinfo/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new AssertionError("no test resource cpuinfo/" + name, e);
    }
  }

  @Test
  void onlyFlagsThatNameInstructionsAreFeatures() {
    CpuFeatures core2 = CpuFeatures.parse(CORE2, "amd64");
    assertEquals("Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz", core2.model());
    assertEquals(List.of("clflush", "cmov", "cx16", "cx8", "fxsr", "lahf_lm", "mmx", "pni", "sse", "sse2", "sse4_1", "ssse3", "xsave"),
        List.copyOf(core2.features()));
  }

  @Test
  void aJobFromTheOlderCpuFitsTheNewerOneThoughItLacksTheOldersMachineFlags() {
    CpuFeatures core2 = CpuFeatures.parse(CORE2, "amd64"), haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    // the Haswell VM has no dts, acpi, monitor, vmx, est, tm...; none of them is an instruction a job runs
    assertEquals(Optional.empty(), haswell.unfitFor(core2, "n1", core2, "n1", "n2"));
  }

  @Test
  void aJobFromTheNewerCpuDoesNotFitTheOlderOneAndTheReasonNamesWhatIsMissing() {
    CpuFeatures core2 = CpuFeatures.parse(CORE2, "amd64"), haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    assertEquals(List.of("abm", "aes", "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "fsgsbase", "movbe", "pclmulqdq", "popcnt",
        "rdrand", "rdtscp", "sse4_2", "xsaveopt"), core2.missing(haswell));
    assertEquals(Optional.of("n1's CPU lacks abm, aes, avx, avx2, bmi1, bmi2, f16c, fma, fsgsbase, movbe, pclmulqdq, popcnt, rdrand, "
        + "rdtscp, sse4_2, xsaveopt, which the job may use (it started on n2)"), core2.unfitFor(haswell, "n2", haswell, "n2", "n1"));
  }

  @Test
  void hypervisorTimerBugAndPowerFlagsDoNotMakeEqualCpusIncompatible() {
    String bare = CORE2.replace(" constant_tsc", "").replace(" pti", "").replace(" dtherm", "").replace(" est", "");
    String virtual = CORE2.replace("flags\t\t: fpu", "flags\t\t: hypervisor nonstop_tsc tsc_known_freq ibrs ssbd md_clear fpu")
        .replace("bugs\t\t: cpu_meltdown", "bugs\t\t: retbleed");
    CpuFeatures a = CpuFeatures.parse(bare, "amd64"), b = CpuFeatures.parse(virtual, "amd64");
    assertEquals(a.features(), b.features());
    assertEquals(Optional.empty(), a.unfitFor(b, "n2", b, "n2", "n1"));
    assertEquals(Optional.empty(), b.unfitFor(a, "n1", a, "n1", "n2"));
  }

  @Test
  void aCpuWithFeaturesWithheldRefusesJobsThatMayUseThemAndTakesItsOwn() {
    CpuFeatures haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    CpuFeatures poorer = haswell.without(List.of("avx2", "bmi2", "avx512f"));
    assertFalse(poorer.features().contains("avx2"));
    assertTrue(poorer.features().contains("avx"));
    assertEquals(Optional.of("n1's CPU lacks avx2, bmi2, which the job may use (it started on n2)"),
        poorer.unfitFor(haswell, "n2", haswell, "n2", "n1"));
    // a job started on the poorer node goes to the richer one and back
    assertEquals(Optional.empty(), haswell.unfitFor(poorer, "n1", poorer, "n1", "n2"));
    assertEquals(Optional.empty(), poorer.unfitFor(poorer, "n1", haswell, "n2", "n1"));
  }

  @Test
  void aJobThatMovedToACpuWithMoreRegistersCannotGoBackToOneWithoutThem() {
    CpuFeatures haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    // qemu's default model: SSE3 at most, no XSAVE
    CpuFeatures qemu64 = haswell.without(haswell.features().stream().filter(f -> !List.of("cmov", "cx8", "cx16", "fxsr", "mmx",
        "sse", "sse2", "pni", "popcnt", "lahf_lm").contains(f)).toList());
    assertEquals(Optional.empty(), haswell.unfitFor(qemu64, "n1", qemu64, "n1", "n2"));
    assertEquals(Optional.of("n1's CPU lacks xsave, avx, whose registers the job's dump would carry from n2 "
        + "(CRIU restores a register state only on a CPU that has it)"), qemu64.unfitFor(qemu64, "n1", haswell, "n2", "n1"));
    // with no XSAVE on either side nothing is carried; where the job is now is unknown: only what it started with counts
    assertEquals(Optional.empty(), qemu64.unfitFor(qemu64, "n1", qemu64, "n3", "n1"));
    assertEquals(Optional.empty(), qemu64.unfitFor(qemu64, "n1", null, "n2", "n1"));
  }

  @Test
  void withholdingSomethingThatIsNoInstructionSetFeatureIsAnError() {
    CpuFeatures haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> haswell.without(List.of("avx2", "hypervisor", "avx_2x")));
    // avx_2x is a member of the AVX family by its name; hypervisor is no instruction
    assertEquals("not instruction-set features of an amd64 CPU: hypervisor", e.getMessage());
  }

  @Test
  void armFeaturesAreItsHwcapsBesidesTheTimerEventStream() {
    CpuFeatures pi = CpuFeatures.parse(RASPBERRY_PI_4, "aarch64");
    assertEquals("Raspberry Pi 4 Model B Rev 1.4", pi.model());
    assertEquals(List.of("asimd", "cpuid", "crc32", "fp"), List.copyOf(pi.features()));
    assertEquals("implementer 0x41 part 0xd08", CpuFeatures.parse(RASPBERRY_PI_4.replace("Model\t\t: Raspberry Pi 4 Model B Rev 1.4", ""),
        "aarch64").model());
  }

  @Test
  void noJobMovesBetweenArchitectures() {
    CpuFeatures pi = CpuFeatures.parse(RASPBERRY_PI_4, "aarch64"), core2 = CpuFeatures.parse(CORE2, "amd64");
    assertEquals(Optional.of("n3 is an aarch64 machine and the job started on an amd64 one (n1)"), pi.unfitFor(core2, "n1", core2, "n1", "n3"));
    // even a job that needs no feature at all
    CpuFeatures bare = new CpuFeatures("amd64", "x", new java.util.TreeSet<>());
    assertTrue(pi.unfitFor(bare, "n1", bare, "n1", "n3").isPresent());
  }

  @Test
  void cpuinfoWithoutFeaturesIsAnErrorNotACpuWithoutFeatures() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuFeatures.parse("processor\t: 0\n", "amd64"));
    assertTrue(e.getMessage().contains("neither a 'flags' nor a 'Features' line"), e.getMessage());
  }

  @Test
  void theJsonFormReadsBack() {
    CpuFeatures haswell = CpuFeatures.parse(HASWELL_VM, "amd64");
    assertEquals(haswell, CpuFeatures.fromJson(haswell.toJson()));
    assertEquals(List.of("avx2", "sse"), haswell.toJson().getJsonArray("features").getList().stream()
        .filter(f -> f.equals("sse") || f.equals("avx2")).toList());
  }

  @Test
  void thisMachinesCpuHasFeatures() {
    // every x86_64 CPU has SSE2 (and every aarch64 one ASIMD): a parse that finds nothing is wrong
    CpuFeatures here = tern.os.CpuInfo.local();
    assertTrue(here.features().contains("sse2") || here.features().contains("asimd"), here.toString());
  }
}
