package tern.migration;

import tern.util.Args;

import java.nio.file.Path;
import java.util.List;

/**
 * How a migrator was started: which node it is, where it keeps things, what its node is like.
 * enroll: the gateway's enrollment address (IP:PORT) when the node gets its name and the cluster secret
 * from the gateway (tern.admission.Enrollment); node and cgroupParent are then null until it has.
 * cpuFeaturesWithheld: instruction-set features the node does not report although its CPU has them
 * (--cpu-features-without avx2,avx512f). Jobs started on it may use only what it reports, so an admin
 * keeps the node's jobs portable to older PCs with it, and the lab makes a node stand in for an older CPU.
 */
record NodeConfig(String node, String lanIp, String gatewayIp, Path secretFile, double cpu, String link,
                  String cgroupParent, Path images, Path stateDir, boolean faultInjection, String enroll,
                  List<String> cpuFeaturesWithheld) {

  static NodeConfig parse(String[] args) {
    Args a = new Args(args, "tern-migrator", List.of(
        "[--node NAME]", "[--enroll GATEWAY_IP:PORT]", "--lan-ip IP", "--gateway IP", "--secret-file FILE", "--cpu SHARE", "--link RATE",
        "--cgroup PATH", "--images DIR", "--state-dir DIR", "[--allow-fault-injection]", "[--cpu-features-without FEATURE,...]"));
    String node = a.optional("--node", null);
    String enroll = a.optional("--enroll", null);
    if ((node == null) == (enroll == null)) {
      throw new IllegalArgumentException("give --node NAME (with a secret file already in place) or --enroll GATEWAY_IP:PORT "
          + "(the name and the secret come from the gateway), not " + (node == null ? "neither" : "both"));
    }
    String cgroup = a.optional("--cgroup", node == null ? null : "/tern/" + node);
    String withheld = a.optional("--cpu-features-without", "");
    return new NodeConfig(node, a.required("--lan-ip"), a.required("--gateway"),
        Path.of(a.required("--secret-file")), Double.parseDouble(a.optional("--cpu", "1")), a.optional("--link", "100mbit"),
        cgroup, Path.of(a.required("--images")), Path.of(a.required("--state-dir")), a.flag("--allow-fault-injection"), enroll,
        withheld.isBlank() ? List.of() : List.of(withheld.trim().split("\\s*,\\s*")));
  }

  /** This configuration under the name the gateway gave: its cgroup is named after it unless --cgroup said where. */
  NodeConfig named(String name) {
    return new NodeConfig(name, lanIp, gatewayIp, secretFile, cpu, link, cgroupParent == null ? "/tern/" + name : cgroupParent,
        images, stateDir, faultInjection, enroll, cpuFeaturesWithheld);
  }
}
