package tern.gateway;

import tern.proxy.ProxyLimits;
import tern.util.Args;

import java.nio.file.Path;
import java.util.List;

/** How the gateway was started. */
public record GatewayConfig(String lanIp, String outsideIp, String outsideIf, int apiPort, String vipPool,
                     Path secretFile, Path adminTokenFile, Path stateDir, ProxyLimits limits, int stdioPort,
                     tern.policy.PolicyConfig policy, int rejoinSeconds, long pageUid, long pageGid,
                     int enrollPort, Admissions.Mode acceptNodes,
                     RetentionLimits retention) {
  public static GatewayConfig parse(String[] args) {
    Args a = new Args(args, "tern-gateway", List.of("--lan-ip IP", "--outside-ip IP", "--outside-if IFACE",
        "--api-port PORT", "--vip-pool CIDR", "--secret-file FILE", "--admin-token-file FILE", "--state-dir DIR",
        "[--idle-timeout SECONDS]", "[--max-connections N]", "[--public-ports FIRST-LAST]", "[--stdio-port PORT]",
        "[--max-local-io MIB_PER_SECOND]", "[--rejoin-timeout SECONDS]", "[--page-user UID:GID]",
        "[--enroll-port PORT]", "[--accept-nodes manual|auto]",
        "[--keep-ended DURATION]", "[--keep-ended-jobs N]", "[--keep-output SIZE]"));
    ProxyLimits d = ProxyLimits.defaults();
    // who a job started from the admin page runs as: an unprivileged user (nobody), never root
    String[] pageUser = a.optional("--page-user", "65534:65534").split(":");
    if (pageUser.length != 2 || Long.parseLong(pageUser[0]) == 0 || Long.parseLong(pageUser[1]) == 0) {
      throw new IllegalArgumentException("--page-user must be UID:GID of an unprivileged user, not root");
    }
    String accept = a.optional("--accept-nodes", "manual");
    if (!accept.equals("manual") && !accept.equals("auto")) {
      throw new IllegalArgumentException("--accept-nodes must be manual (the admin accepts each new PC) or auto, not '" + accept + "'");
    }
    String[] range = a.optional("--public-ports", d.firstPort() + "-" + d.lastPort()).split("-");
    ProxyLimits limits = new ProxyLimits(Integer.parseInt(a.optional("--idle-timeout", Integer.toString(d.idleSeconds()))),
        Integer.parseInt(a.optional("--max-connections", Integer.toString(d.maxConnections()))),
        Integer.parseInt(range[0]), Integer.parseInt(range[1]));
    return new GatewayConfig(a.required("--lan-ip"), a.required("--outside-ip"), a.required("--outside-if"),
        Integer.parseInt(a.optional("--api-port", "7070")), a.required("--vip-pool"),
        Path.of(a.required("--secret-file")), Path.of(a.required("--admin-token-file")), Path.of(a.optional("--state-dir", "/var/lib/tern")), limits,
        Integer.parseInt(a.optional("--stdio-port", "7071")),
        // a job doing more local file I/O than this stays with its files
        new tern.policy.PolicyConfig(Double.parseDouble(a.optional("--max-local-io",
            Double.toString(tern.policy.PolicyConfig.DEFAULT.maxLocalIoBytesPerSecond() / 1048576))) * 1048576,
            tern.policy.PolicyConfig.DEFAULT.newJobDemand()),
        // how long a restarted gateway waits for the nodes it knows before it starts with an empty state
        Integer.parseInt(a.optional("--rejoin-timeout", "60")), Long.parseLong(pageUser[0]), Long.parseLong(pageUser[1]),
        // where PCs on the LAN enroll (tern.admission.Enrollment), on the LAN address only
        Integer.parseInt(a.optional("--enroll-port", Integer.toString(tern.admission.Enrollment.DEFAULT_PORT))),
        Admissions.Mode.valueOf(accept.toUpperCase(java.util.Locale.ROOT)),
        // how much of the ended jobs (records and output files) is kept: the data partition is small
        RetentionLimits.parse(a.optional("--keep-ended", RetentionLimits.DEFAULT_KEEP_ENDED),
            a.optional("--keep-output", RetentionLimits.DEFAULT_KEEP_OUTPUT),
            a.optional("--keep-ended-jobs", RetentionLimits.DEFAULT_KEEP_ENDED_JOBS)));
  }
}
