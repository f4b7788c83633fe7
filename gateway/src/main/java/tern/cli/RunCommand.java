package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** `tern run`: a job started on the cluster, attached to this terminal or detached. */
final class RunCommand {
  private RunCommand() { }

  private static final Option DETACH = Option.flag("--detach", "-d",
      "start it in the background, print its id (output: /var/tmp/tern-jobs/JOB.out)");
  private static final Option TTY = Option.flag("-t", "--tty", "give it a terminal of this one's size (not with --detach)");
  private static final Option NODE = Option.value("--node", "NODE", "run it on NODE");
  private static final Option USER = Option.value("--user", "USER", "run it as USER");
  private static final Option EXPOSE = Option.values("--expose", "PORT[:PUBLIC]",
      "forward the gateway's PUBLIC port (or a free one) to the job's PORT");

  // options come first; the command starts after "--" or at the first word that is not an option,
  // so that CC="tern run cc" works
  static final Subcommand RUN = new Subcommand("run", "-- CMD [ARGS...]", true, """
      run CMD on the cluster (the least-loaded node unless --node) as if locally:
      stdin, stdout and stderr pass through the gateway (byte-exact, EOF passed
      on), Ctrl-C, TERM and HUP reach the job, tern exits with its status (128+N
      for signal N). -t gives the job a terminal of this one's size for
      full-screen programs (keys go to it raw, so Ctrl-C is the job's terminal's
      interrupt). With --detach it prints the job's id (and on stderr each
      exposed port's public port)
      """, DETACH, TTY, NODE, USER, EXPOSE, Option.JSON) {
    @Override int execute(Arguments args) { return start(args); }
  };

  private static int start(Arguments args) {
    boolean detach = args.has(DETACH);
    boolean tty = args.has(TTY);
    if (tty && detach) throw new CliError(2, "run: -t and --detach do not go together (a detached job has no terminal)");
    String node = args.value(NODE);
    String user = args.value(USER);
    JsonArray expose = new JsonArray();
    for (String e : args.values(EXPOSE)) expose.add(JobCommands.portMapping(e));
    if (args.operands().isEmpty()) throw new CliError(2, "run: no command given (tern run --detach -- CMD ARGS...)");
    Submitter submitter = Submitter.find(user);
    JsonObject req = new JsonObject().put("argv", new JsonArray(args.operands())).put("cwd", System.getProperty("user.dir"))
        .put("env", new JsonObject(new java.util.LinkedHashMap<>(System.getenv()))).put("uid", submitter.uid())
        .put("gid", submitter.gid()).put("user", user != null ? user : System.getProperty("user.name"));
    if (node != null) req.put("node", node);
    if (!expose.isEmpty()) req.put("expose", expose);
    GatewayConnection gateway = GatewayConnection.find();
    if (!detach) {
      req.put("interactive", true);
      LocalTerminal terminal = tty ? LocalTerminal.open() : null;
      if (terminal != null) req.put("tty", new JsonObject().put("rows", terminal.rows()).put("cols", terminal.cols()));
      JsonObject job = new JsonObject(gateway.call("POST", "/v1/jobs", req, Duration.ofSeconds(60)));
      if (terminal != null) terminal.raw();
      try {
        return InteractiveSession.attach(gateway.host(), job, terminal);
      } finally {
        if (terminal != null) terminal.restore();
      }
    }
    JsonObject job = new JsonObject(gateway.call("POST", "/v1/jobs", req, Duration.ofSeconds(60)));
    if (args.json()) {
      System.out.println(job.encodePrettily());
    } else {
      System.out.println(job.getString("id"));
      for (Object o : job.getJsonArray("exposed", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        System.err.println("tern: " + job.getString("id") + " port " + e.getInteger("port")
            + " is exposed on the gateway's port " + e.getInteger("public"));
      }
    }
    return 0;
  }
}
