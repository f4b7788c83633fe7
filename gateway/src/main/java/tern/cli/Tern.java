package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tern command-line client. Exit status: 0 ok, 1 refused or failed (with the reason), 2 usage, 3 no gateway. */
public final class Tern {
  private static final String USAGE = """
      usage: tern COMMAND [OPTIONS]

        run [--detach | -t] [--node NODE] [--user USER] [--expose PORT[:PUBLIC]]... [-o json] -- CMD [ARGS...]
                                   start CMD on the cluster (least-loaded node unless --node). Without --detach
                                   it runs as if local: stdin, stdout, stderr pass through, Ctrl-C (and TERM,
                                   HUP) reach the job, tern exits with its status (128+N for signal N).
                                   -t gives the job a terminal of this one's size (full-screen programs;
                                   keys go to it raw, so Ctrl-C is the job's terminal's interrupt).
                                   With --detach it prints the job id (and each exposed port's public port)
        expose JOB PORT[:PUBLIC]   forward the gateway's PUBLIC port (or a free one) to the job's PORT
        unexpose JOB PORT
        ps [-o json]               jobs: id, node, state, host pid, age, CPU, memory, VIP, command
        nodes [-o json]            nodes in the cluster and their load
        migrate JOB [--to NODE] [-o json]
                                   move a running job (default: the least-loaded other node); prints the record
        kill JOB                   end a job
        migrations [-o json]       the cluster's migration history
        drain NODE [--no-wait] [--timeout S]
                                   stop placing jobs on NODE and move its movable jobs away; waits until
                                   only pinned jobs are left and lists them with the reason they stay
        undrain NODE               NODE takes jobs again
        balance [on|off] [-o json] pause or resume the balancer (moves of running jobs), or show it
        events [-n N] [--follow] [-o json]
                                   the balancer's decisions (taken and rejected, with cost, gain and
                                   expected remaining time) and what came of them
        lab up|down|status         a cluster on this machine (see tern lab --help)

      Jobs run as the calling user; root's jobs run as $SUDO_UID or nobody unless --user says otherwise.
      The gateway is $TERN_URL with $TERN_TOKEN, or the lab's (/run/tern/lab/client.json).
      """;

  public static void main(String[] args) {
    int status;
    try {
      status = run(new ArrayList<>(Arrays.asList(args)));
    } catch (CliError e) {
      System.err.println("tern: " + e.getMessage());
      status = e.exitCode;
    }
    System.exit(status);
  }

  static int run(List<String> args) {
    if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
      System.out.print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String cmd = args.remove(0);
    // run's own options end where its command begins (-o in "cc -o x.o" is the command's)
    boolean json = !cmd.equals("run") && takeFlagValue(args, "-o", "json");
    return switch (cmd) {
      case "run" -> run(args, json);
      case "ps" -> { noMoreArgs(args); yield ps(json); }
      case "nodes" -> { noMoreArgs(args); yield nodes(json); }
      case "migrate" -> migrate(args, json);
      case "kill" -> kill(args);
      case "expose" -> expose(args, json);
      case "unexpose" -> unexpose(args);
      case "migrations" -> { noMoreArgs(args); yield migrations(json); }
      case "drain" -> drain(args, json);
      case "undrain" -> undrain(args, json);
      case "balance" -> balance(args, json);
      case "events" -> events(args, json);
      default -> throw new CliError(2, "unknown command '" + cmd + "'\n" + USAGE);
    };
  }

  private static int run(List<String> args, boolean json) {
    // options come first; the command starts after "--" or at the first word that is not an option,
    // so that CC="tern run cc" works
    int start = 0;
    while (start < args.size()) {
      String a = args.get(start);
      if (a.equals("--")) break;
      if (List.of("--detach", "-d", "--tty", "-t").contains(a)) start++;
      else if (List.of("--node", "--user", "--expose", "-o").contains(a)) start += 2;
      else if (a.startsWith("-")) throw new CliError(2, "run: unknown option " + a);
      else break;
    }
    start = Math.min(start, args.size());
    List<String> opts = new ArrayList<>(args.subList(0, start));
    json = takeFlagValue(opts, "-o", "json");
    List<String> argv = start < args.size() && args.get(start).equals("--") ? args.subList(start + 1, args.size()) : args.subList(start, args.size());
    boolean detach = opts.remove("--detach") | opts.remove("-d");
    boolean tty = opts.remove("--tty") | opts.remove("-t");
    if (tty && detach) throw new CliError(2, "run: -t and --detach do not go together (a detached job has no terminal)");
    String node = takeOption(opts, "--node");
    String user = takeOption(opts, "--user");
    JsonArray expose = new JsonArray();
    for (String e; (e = takeOption(opts, "--expose")) != null; ) expose.add(portMapping(e));
    noMoreArgs(opts);
    if (argv.isEmpty()) throw new CliError(2, "run: no command given (tern run --detach -- CMD ARGS...)");
    int[] ids = submitter(user);
    JsonObject req = new JsonObject().put("argv", new JsonArray(argv)).put("cwd", System.getProperty("user.dir"))
        .put("env", new JsonObject(new java.util.LinkedHashMap<>(System.getenv()))).put("uid", ids[0]).put("gid", ids[1])
        .put("user", user != null ? user : System.getProperty("user.name"));
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
    if (json) {
      System.out.println(job.encodePrettily());
    } else {
      System.out.println(job.getString("id"));
      for (Object o : job.getJsonArray("exposed", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        System.err.println("tern: " + job.getString("id") + " port " + e.getInteger("port") + " is exposed on the gateway's port " + e.getInteger("public"));
      }
    }
    return 0;
  }

  private static int ps(boolean json) {
    JsonArray jobs = new JsonArray(GatewayConnection.find().call("GET", "/v1/jobs", null, Duration.ofSeconds(20)));
    if (json) {
      System.out.println(jobs.encodePrettily());
      return 0;
    }
    Table t = new Table("ID", "NODE", "STATE", "PID", "AGE", "CPU", "MEM", "VIP", "PORTS", "COMMAND");
    for (Object o : jobs) {
      JsonObject j = (JsonObject) o;
      t.row(j.getString("id"), j.getString("node"), j.getString("state"), str(j.getValue("hostPid")),
          Table.age(j.getLong("ageSeconds", 0L)), j.containsKey("cpu") ? String.format("%.2f", j.getDouble("cpu")) : "-",
          j.containsKey("rssBytes") ? Table.bytes(j.getLong("rssBytes")) : "-", j.getString("vip"), ports(j),
          String.join(" ", j.getJsonArray("argv").stream().map(String::valueOf).toList()));
    }
    t.print();
    return 0;
  }

  private static String ports(JsonObject job) {
    List<String> ports = new ArrayList<>();
    for (Object o : job.getJsonArray("exposed", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      ports.add(e.getInteger("public") + "->" + e.getInteger("port"));
    }
    return ports.isEmpty() ? "-" : String.join(",", ports);
  }

  private static int nodes(boolean json) {
    JsonArray nodes = new JsonArray(GatewayConnection.find().call("GET", "/v1/nodes", null, Duration.ofSeconds(20)));
    if (json) {
      System.out.println(nodes.encodePrettily());
      return 0;
    }
    Table t = new Table("NODE", "STATE", "LAN", "CPU USED/CAP", "JOBS", "LINK");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      t.row(n.getString("name"), n.getString("state", "up"), n.getString("lanIp"),
          String.format("%.2f/%.2f", n.getDouble("cpuUsed"), n.getDouble("cpuCapacity")),
          str(n.getInteger("jobs")), n.getString("link"));
    }
    t.print();
    return 0;
  }

  private static int migrate(List<String> args, boolean json) {
    String to = takeOption(args, "--to");
    String fault = takeOption(args, "--inject-fault");
    if (args.size() != 1) throw new CliError(2, "migrate: give exactly one job id (tern migrate JOB [--to NODE])");
    JsonObject body = new JsonObject();
    if (to != null) body.put("to", to);
    if (fault != null) body.put("fault", fault);
    JsonObject rec = new JsonObject(GatewayConnection.find().call("POST", "/v1/jobs/" + args.get(0) + "/migrate", body, Duration.ofMinutes(15)));
    if (json) {
      System.out.println(rec.encodePrettily());
    } else {
      System.out.printf("%s: %s moved %s -> %s: freeze %d ms, %s of images, %s moved%n", rec.getString("id"), rec.getString("jobId"),
          rec.getString("from"), rec.getString("to"), rec.getLong("freezeMs"), Table.bytes(rec.getLong("imageBytes", 0L)),
          Table.bytes(rec.getLong("bytesMoved", 0L)));
      JsonObject p = rec.getJsonObject("phasesMs");
      StringBuilder b = new StringBuilder("  phases (ms):");
      p.forEach(e -> b.append(' ').append(e.getKey()).append('=').append(e.getValue()));
      System.out.println(b);
    }
    return 0;
  }

  private static int expose(List<String> args, boolean json) {
    if (args.size() != 2) throw new CliError(2, "expose: tern expose JOB PORT[:PUBLIC]");
    JsonObject job = new JsonObject(GatewayConnection.find().call("POST", "/v1/jobs/" + args.get(0) + "/expose",
        portMapping(args.get(1)), Duration.ofSeconds(30)));
    int port = portMapping(args.get(1)).getInteger("port");
    for (Object o : job.getJsonArray("exposed", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      if (e.getInteger("port") == port) System.out.println(json ? e.encodePrettily() : Integer.toString(e.getInteger("public")));
    }
    return 0;
  }

  private static int unexpose(List<String> args) {
    if (args.size() != 2) throw new CliError(2, "unexpose: tern unexpose JOB PORT");
    GatewayConnection.find().call("DELETE", "/v1/jobs/" + args.get(0) + "/expose/" + args.get(1), null, Duration.ofSeconds(30));
    return 0;
  }

  /** PORT or PORT:PUBLIC */
  private static JsonObject portMapping(String text) {
    String[] parts = text.split(":");
    try {
      JsonObject m = new JsonObject().put("port", Integer.parseInt(parts[0]));
      if (parts.length == 2) m.put("public", Integer.parseInt(parts[1]));
      else if (parts.length > 2) throw new NumberFormatException();
      return m;
    } catch (NumberFormatException e) {
      throw new CliError(2, "'" + text + "' is not PORT or PORT:PUBLIC");
    }
  }

  private static int kill(List<String> args) {
    if (args.size() != 1) throw new CliError(2, "kill: give exactly one job id");
    JsonObject job = new JsonObject(GatewayConnection.find().call("DELETE", "/v1/jobs/" + args.get(0), null, Duration.ofSeconds(60)));
    if (!"killed".equals(job.getString("state"))) {
      System.err.println("tern: " + args.get(0) + " is still " + job.getString("state") + "; it ends as soon as its node carries out the kill");
      return 1;
    }
    System.out.println("killed " + args.get(0));
    return 0;
  }

  private static int migrations(boolean json) {
    JsonArray all = new JsonArray(GatewayConnection.find().call("GET", "/v1/migrations", null, Duration.ofSeconds(20)));
    if (json) {
      System.out.println(all.encodePrettily());
      return 0;
    }
    Table t = new Table("ID", "JOB", "FROM", "TO", "STATE", "FREEZE", "MOVED", "ERROR");
    for (Object o : all) {
      JsonObject m = (JsonObject) o;
      t.row(m.getString("id"), m.getString("jobId"), m.getString("from"), m.getString("to"), m.getString("state"),
          m.containsKey("freezeMs") ? m.getLong("freezeMs") + " ms" : "-",
          m.containsKey("bytesMoved") ? Table.bytes(m.getLong("bytesMoved")) : "-", m.getString("error", ""));
    }
    t.print();
    return 0;
  }

  private static int drain(List<String> args, boolean json) {
    boolean wait = !args.remove("--no-wait");
    String t = takeOption(args, "--timeout");
    if (args.size() != 1) throw new CliError(2, "drain: tern drain NODE [--no-wait] [--timeout SECONDS]");
    long timeoutMs;
    try {
      timeoutMs = t == null ? 600_000 : (long) (Double.parseDouble(t) * 1000);
    } catch (NumberFormatException e) {
      throw new CliError(2, "drain: --timeout takes seconds, got '" + t + "'");
    }
    String node = args.get(0);
    GatewayConnection gateway = GatewayConnection.find();
    JsonObject s = new JsonObject(gateway.call("POST", "/v1/nodes/" + node + "/drain", new JsonObject(), Duration.ofSeconds(30)));
    long deadline = System.currentTimeMillis() + timeoutMs;
    int shown = -1;
    while (wait && !s.getJsonArray("movable").isEmpty()) {
      int left = s.getJsonArray("movable").size();
      if (left != shown && !json) System.err.println("tern: draining " + node + ": " + left + " job(s) to move: "
          + String.join(" ", s.getJsonArray("movable").stream().map(String::valueOf).toList()));
      shown = left;
      if (System.currentTimeMillis() > deadline) {
        throw new CliError(1, "drain of " + node + " not done after " + timeoutMs / 1000 + " s; still there: "
            + String.join(" ", s.getJsonArray("movable").stream().map(String::valueOf).toList()) + " (tern events says why)");
      }
      sleep(500);
      s = new JsonObject(gateway.call("GET", "/v1/nodes/" + node + "/drain", null, Duration.ofSeconds(30)));
    }
    if (json) {
      System.out.println(s.encodePrettily());
      return 0;
    }
    System.out.println(node + " is draining: " + (s.getJsonArray("movable").isEmpty() ? "no movable job left" : s.getJsonArray("movable").size()
        + " job(s) still to move") + (s.getJsonArray("pinned").isEmpty() ? "" : "; pinned:"));
    for (Object o : s.getJsonArray("pinned")) {
      JsonObject p = (JsonObject) o;
      System.out.println("  " + p.getString("jobId") + ": " + p.getString("reason"));
    }
    return 0;
  }

  private static int undrain(List<String> args, boolean json) {
    if (args.size() != 1) throw new CliError(2, "undrain: tern undrain NODE");
    JsonObject s = new JsonObject(GatewayConnection.find().call("POST", "/v1/nodes/" + args.get(0) + "/undrain", new JsonObject(), Duration.ofSeconds(30)));
    System.out.println(json ? s.encodePrettily() : args.get(0) + " takes jobs again");
    return 0;
  }

  private static int balance(List<String> args, boolean json) {
    if (args.size() > 1 || (args.size() == 1 && !List.of("on", "off", "status").contains(args.get(0)))) {
      throw new CliError(2, "balance: tern balance [on|off|status]");
    }
    GatewayConnection gateway = GatewayConnection.find();
    JsonObject s = args.isEmpty() || args.get(0).equals("status")
        ? new JsonObject(gateway.call("GET", "/v1/balance", null, Duration.ofSeconds(30)))
        : new JsonObject(gateway.call("POST", "/v1/balance", new JsonObject().put("enabled", args.get(0).equals("on")), Duration.ofSeconds(30)));
    if (json) {
      System.out.println(s.encodePrettily());
    } else {
      JsonObject l = s.getJsonObject("learned", new JsonObject());
      System.out.printf("balancer %s; migration cost learned from %d migrations: %.2f s + %.2f x (memory / link); %d programs' lifetimes known%n",
          s.getBoolean("enabled") ? "on" : "off", l.getInteger("migrationSamples", 0), l.getDouble("migrationFixedSeconds", 0.0),
          l.getDouble("migrationSlope", 0.0), l.getInteger("programsKnown", 0));
    }
    return 0;
  }

  private static int events(List<String> args, boolean json) {
    boolean follow = args.remove("--follow") | args.remove("-f");
    String n = takeOption(args, "-n");
    noMoreArgs(args);
    int limit;
    try {
      limit = n == null ? 20 : Integer.parseInt(n);
    } catch (NumberFormatException e) {
      limit = 0;
    }
    // the gateway hands out at most 1000 events at a time
    if (limit < 1 || limit > 1000) throw new CliError(2, "events: -n takes a number from 1 to 1000, got '" + n + "'");
    GatewayConnection gateway = GatewayConnection.find();
    long after = -1;
    do {
      JsonArray batch = new JsonArray(gateway.call("GET", "/v1/events?after=" + after + "&limit=" + (after < 0 ? limit : 1000), null,
          Duration.ofSeconds(30)));
      for (Object o : batch) {
        JsonObject e = (JsonObject) o;
        after = Math.max(after, e.getLong("seq"));
        System.out.println(json ? e.encode() : String.format("%s %-8s %s", java.time.Instant.ofEpochMilli(e.getLong("at")).toString()
            .substring(11, 23), e.getString("kind"), e.getString("message")));
      }
      System.out.flush();
      if (follow) sleep(1000);
    } while (follow);
    return 0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(130, "interrupted");
    }
  }

  /** uid and gid the job runs as: never root. */
  private static int[] submitter(String user) {
    if (user != null) return account(user);
    int uid = fileOwner("uid");
    if (uid != 0) return new int[] {uid, fileOwner("gid")};
    String sudoUid = System.getenv("SUDO_UID");
    if (sudoUid != null && !sudoUid.equals("0")) return new int[] {Integer.parseInt(sudoUid), Integer.parseInt(System.getenv().getOrDefault("SUDO_GID", sudoUid))};
    System.err.println("tern: running as root; the job runs as nobody (use --user to choose)");
    return account("nobody");
  }

  /** A user's uid and primary gid: from /etc/passwd, else from id(1) (accounts from LDAP and the like). */
  private static int[] account(String user) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(user)) return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
      }
    } catch (IOException | NumberFormatException e) {
      // fall back to the name service
    }
    return new int[] {idOf(user, "-u"), idOf(user, "-g")};
  }

  private static int fileOwner(String what) {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + what);
    } catch (IOException e) {
      throw new CliError(1, "cannot tell who is calling: " + e.getMessage());
    }
  }

  private static int idOf(String user, String flag) {
    try {
      Process p = new ProcessBuilder("id", flag, user).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) throw new CliError(2, "unknown user '" + user + "': " + out);
      return Integer.parseInt(out);
    } catch (IOException | NumberFormatException e) {
      throw new CliError(1, "cannot look up user " + user + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError(130, "interrupted");
    }
  }

  private static boolean takeFlagValue(List<String> args, String flag, String value) {
    int i = args.indexOf(flag);
    int dash = args.indexOf("--");
    if (i < 0 || (dash >= 0 && i > dash)) return false;
    if (i + 1 >= args.size() || !args.get(i + 1).equals(value)) throw new CliError(2, flag + " takes '" + value + "'");
    args.remove(i + 1);
    args.remove(i);
    return true;
  }

  private static String takeOption(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) return null;
    if (i + 1 >= args.size()) throw new CliError(2, name + " needs a value");
    String v = args.remove(i + 1);
    args.remove(i);
    return v;
  }

  private static void noMoreArgs(List<String> args) {
    if (!args.isEmpty()) throw new CliError(2, "unexpected arguments: " + String.join(" ", args));
  }

  private static String str(Object o) { return o == null ? "-" : String.valueOf(o); }
}
