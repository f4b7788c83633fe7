package tern.request;

import tern.json.JsonFields;
import tern.protocol.Identifiers;
import tern.protocol.JobSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * POST /v1/jobs: what to run, as whom, where, and which of its ports to expose. Everything in it is
 * checked when it is read, so a start that gets this far fails only on what the cluster's state
 * decides (an unknown or draining node, a public port taken), before any node starts anything.
 */
public record StartRequest(List<String> argv, String cwd, Map<String, String> env, long uid, long gid, String user,
                           String node, boolean interactive, JobSpec.Terminal tty, List<ExposeRequest> expose) {
  private static final Pattern USER = Pattern.compile("[^\\p{Cntrl}]{1,256}");

  public static StartRequest read(JsonFields f) {
    List<String> argv = f.strings("argv");
    String cwd = f.string("cwd");
    Map<String, String> env = f.stringMap("env");
    long uid = f.integer("uid", 0, JobSpec.MAX_ID);
    long gid = f.integer("gid", 0, JobSpec.MAX_ID);
    String user = f.matching("user", USER, "a user's name (1 to 256 characters, no control characters)", null);
    String node = f.matching("node", Identifiers.NODE_NAME, Identifiers.NODE_NAME_SHAPE, null);
    boolean interactive = f.bool("interactive", false);
    JobSpec.Terminal tty = JobSpec.Terminal.fromJson(f.object("tty"));
    if (tty != null && !interactive) throw new RequestError(400, "'tty': only an interactive job gets a terminal");
    List<ExposeRequest> expose = f.objects("expose").stream().map(ExposeRequest::read).toList();
    Set<Integer> ports = new HashSet<>(), publicPorts = new HashSet<>();
    for (ExposeRequest e : expose) {
      if (!ports.add(e.port())) throw new RequestError(400, "'expose': port " + e.port() + " is listed twice");
      if (e.publicPort() != 0 && !publicPorts.add(e.publicPort())) {
        throw new RequestError(400, "'expose': public port " + e.publicPort() + " is listed twice");
      }
    }
    f.noOthers();
    try {
      JobSpec.check(argv, cwd, env, uid, gid);
    } catch (IllegalArgumentException e) {
      throw new RequestError(400, e.getMessage());
    }
    return new StartRequest(argv, cwd, env, uid, gid, user, node, interactive, tty, expose);
  }
}
