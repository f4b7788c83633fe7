package tern.migration;

import tern.util.Args;

import java.nio.file.Path;
import java.util.List;

/** How a migrator was started: which node it is, where it keeps things, what its node is like. */
record NodeConfig(String node, String lanIp, String gatewayIp, Path secretFile, double cpu, String link,
                  String cgroupParent, Path images, Path stateDir, boolean faultInjection) {

  static NodeConfig parse(String[] args) {
    Args a = new Args(args, "tern-migrator", List.of(
        "--node NAME", "--lan-ip IP", "--gateway IP", "--secret-file FILE", "--cpu SHARE", "--link RATE",
        "--cgroup PATH", "--images DIR", "--state-dir DIR", "[--allow-fault-injection]"));
    return new NodeConfig(a.required("--node"), a.required("--lan-ip"), a.required("--gateway"),
        Path.of(a.required("--secret-file")), Double.parseDouble(a.optional("--cpu", "1")), a.optional("--link", "100mbit"),
        a.optional("--cgroup", "/tern/" + a.required("--node")), Path.of(a.required("--images")),
        Path.of(a.required("--state-dir")), a.flag("--allow-fault-injection"));
  }
}
