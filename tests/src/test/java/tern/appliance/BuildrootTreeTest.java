package tern.appliance;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tern.os.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Buildroot external tree (buildroot-config/) holds up as far as can be proven without the
 * internet: buildroot-config/validate.sh runs Buildroot's own checks on it, one line per check.
 * No lab: it needs neither the lab lock nor root.
 */
class BuildrootTreeTest {
  private static final Path ROOT = Path.of(System.getProperty("tern.root", "..")).toAbsolutePath().normalize();
  private static final Path VALIDATE = ROOT.resolve("buildroot-config/validate.sh");
  private static final Path WORK = ROOT.resolve("tests/target/buildroot");
  private static final List<String> DEFCONFIGS = List.of("tern_gateway_x86_64", "tern_node_x86_64");
  /** Unpacking Buildroot, two configurations' show-info and check-package: about 3 minutes on 2 busy cores. */
  private static final long TIMEOUT_S = 900;
  private static final Pattern LINE = Pattern.compile("^(ok  |FAIL) (\\S+): (.*)$", Pattern.MULTILINE);

  private static Map<String, Check> checks;
  private static String output;

  record Check(boolean ok, String detail) { }

  @BeforeAll
  static void validateTheTree() {
    Command.Result r = Command.of(VALIDATE.toString(), "--work", WORK.toString()).runAllowingFailure(TIMEOUT_S);
    output = r.stdout() + r.stderr();
    checks = parse(r.stdout());
  }

  @Test
  void eachDefconfigLoadsWithoutAnUnmetDependencyOrAnyOtherWarning() {
    assertPassedForEachDefconfig("defconfig-loads");
  }

  @Test
  void everyLineOfEachDefconfigSurvivesIntoItsConfigurationOpenJdkIncluded() {
    assertPassedForEachDefconfig("every-line-survives");
  }

  @Test
  void noDefconfigTurnsOnALegacyOption() {
    assertPassedForEachDefconfig("not-legacy");
  }

  @Test
  void savedefconfigWritesEachCommittedDefconfigBack() {
    assertPassedForEachDefconfig("savedefconfig-reproduces");
  }

  @Test
  void showInfoListsTheAppliancesPackagesWithTheirVersions() {
    assertPassedForEachDefconfig("show-info-lists");
    String listed = checks.get("show-info-lists[tern_gateway_x86_64]").detail()
        + checks.get("show-info-lists[tern_node_x86_64]").detail();
    for (String p : List.of("tern-criu", "tern-gateway", "tern-migrator", "openjdk", "nftables", "dnsmasq", "nfs-utils")) {
      assertTrue(listed.contains(p + " "), p + " is not listed: " + listed);
    }
  }

  /** BR2_DOWNLOAD_FORCE_CHECK_HASHES is on: a source no hash file names would stop a builder's build hours in. */
  @Test
  void everySourceDownloadIsNamedInAHashFile() {
    assertPassedForEachDefconfig("downloads-hashed");
  }

  @Test
  void checkPackageFindsNothingInTheTreeOrTheSharedFiles() {
    assertPassed("check-package");
  }

  @Test
  void filesSharedWithTheDebianImagesAreOneCopyThatTheTreeInstalls() {
    assertPassed("shared-files-once");
  }

  /** genimage's layout, GRUB's menu and the shared data mount unit agree on the disk. */
  @Test
  void theGatewayDiskBootsItsRootByTheDiskSignatureAndMountsItsDataPartitionByLabel() {
    assertPassed("gateway-disk-layout");
  }

  /** The checks can fail: a toolchain without C++ silently drops OpenJDK, and the check names it. */
  @Test
  void aToolchainWithoutCxxIsCaughtBecauseItDropsOpenJdk() throws IOException {
    Path variant = WORK.resolve("variant/tern_node_x86_64_defconfig");
    Files.createDirectories(variant.getParent());
    List<String> lines = Files.readAllLines(ROOT.resolve("buildroot-config/configs/tern_node_x86_64_defconfig"));
    Files.write(variant, lines.stream().filter(l -> !l.equals("BR2_TOOLCHAIN_BUILDROOT_CXX=y")).toList());

    Command.Result r = Command.of(VALIDATE.toString(), "--work", WORK.resolve("variant").toString(), variant.toString())
        .runAllowingFailure(TIMEOUT_S);
    Map<String, Check> variantChecks = parse(r.stdout());
    assertEquals(1, r.exit(), "validate.sh passed a node defconfig without C++:\n" + r.stdout() + r.stderr());
    Check survived = variantChecks.get("every-line-survives[tern_node_x86_64]");
    assertTrue(survived != null && !survived.ok() && survived.detail().contains("BR2_PACKAGE_OPENJDK"),
        "check-dotconfig did not name OpenJDK as dropped:\n" + r.stdout() + r.stderr());
  }

  private static void assertPassedForEachDefconfig(String check) {
    for (String d : DEFCONFIGS) assertPassed(check + "[" + d + "]");
  }

  private static void assertPassed(String name) {
    Check c = checks.get(name);
    assertTrue(c != null, "validate.sh did not report " + name + ":\n" + output);
    assertTrue(c.ok(), name + ": " + c.detail());
  }

  private static Map<String, Check> parse(String stdout) {
    Map<String, Check> parsed = new LinkedHashMap<>();
    Matcher m = LINE.matcher(stdout);
    while (m.find()) parsed.put(m.group(2), new Check(m.group(1).startsWith("ok"), m.group(3)));
    return parsed;
  }
}
