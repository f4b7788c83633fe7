package tern.migration;

import tern.util.Args;

import java.nio.file.Path;
import java.util.List;

/**
 * How a migrator was started: which node it is, where it keeps things, what its node is like.
 * cpuFeaturesWithheld: instruction-set features the node does not report although its CPU has them
 * (--cpu-features-without avx2,avx512f). Jobs started on it may use only what it reports, so an admin
 * keeps the node's jobs portable to older PCs with it, and the lab makes a node stand in for an older CPU.
 */
record NodeConfig(String node, String lanIp, String gatewayIp, Path secretFile, double cpu, String link,
                  String cgroupParent, Path images, Path stateDir, boolean faultInjection, List<String> cpuFeaturesWithheld) {

  static NodeConfig parse(String[] args) {
    Args a = new Args(args, "tern-migrator", List.of(
        "--node NAME", "--lan-ip IP", "--gateway IP", "--secret-file FILE", "--cpu SHARE", "--link RATE",
        "--cgroup PATH", "--images DIR", "--state-dir DIR", "[--allow-fault-injection]",
        "[--cpu-features-without FEATURE,...]"));
    String withheld = a.optional("--cpu-features-without", "");
    return new NodeConfig(a.required("--node"), a.required("--lan-ip"), a.required("--gateway"),
        Path.of(a.required("--secret-file")), Double.parseDouble(a.optional("--cpu", "1")), a.optional("--link", "100mbit"),
        a.optional("--cgroup", "/tern/" + a.required("--node")), Path.of(a.required("--images")),
        Path.of(a.required("--state-dir")), a.flag("--allow-fault-injection"),
        withheld.isBlank() ? List.of() : List.of(withheld.trim().split("\\s*,\\s*")));
  }
}
