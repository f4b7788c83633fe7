package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The commands about running jobs: ps, kill, expose, unexpose. */
final class JobCommands {
  private JobCommands() { }

  static final Subcommand PS = new Subcommand("ps", "", """
      jobs: id, node, state, host pid, age, CPU, memory, VIP, exposed ports,
      command (running jobs, and the ended ones the gateway still keeps)
      """, Option.JSON) {
    @Override int execute(Arguments args) { return ps(args); }
  };

  private static int ps(Arguments args) {
    args.noOperands();
    JsonArray jobs = new JsonArray(GatewayConnection.find().call("GET", "/v1/jobs", null, Duration.ofSeconds(20)));
    if (args.json()) {
      System.out.println(jobs.encodePrettily());
      return 0;
    }
    Table t = new Table("ID", "NODE", "STATE", "PID", "AGE", "CPU", "MEM", "VIP", "PORTS", "COMMAND");
    for (Object o : jobs) {
      JsonObject j = (JsonObject) o;
      t.row(j.getString("id"), j.getString("node"), j.getString("state"), Table.orDash(j.getValue("hostPid")),
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

  private static final Option LINES = Option.value("-n", "N", "the last N lines (0 to 10000, default 100)");

  static final Subcommand LOGS = new Subcommand("logs", "JOB", """
      a detached job's output (stdout and stderr): its last lines, and with -f
      what it writes next, until it ends
      """, LINES, BalancerCommands.FOLLOW) {
    @Override int execute(Arguments args) { return logs(args); }
  };

  private static int logs(Arguments args) {
    if (args.operands().size() != 1) throw new CliError(2, "logs: give exactly one job id");
    int lines = args.number(LINES, 0, 10_000, 100, "logs");
    boolean follow = args.has(BalancerCommands.FOLLOW);
    GatewayConnection.find().copy("/v1/jobs/" + args.operands().get(0) + "/output?tail=" + lines + (follow ? "&follow=true" : ""),
        System.out, follow ? Duration.ZERO : Duration.ofSeconds(30));
    return 0;
  }

  static final Subcommand KILL = new Subcommand("kill", "JOB", """
      end a job, whatever it is doing (starting, migrating, waiting for its
      node); waits until it is gone, or says the kill is pending until its
      node is back
      """, Option.JSON.hide()) {
    @Override int execute(Arguments args) { return kill(args); }
  };

  private static int kill(Arguments args) {
    if (args.operands().size() != 1) throw new CliError(2, "kill: give exactly one job id");
    String id = args.operands().get(0);
    JsonObject job = new JsonObject(GatewayConnection.find().call("DELETE", "/v1/jobs/" + id, null, Duration.ofSeconds(60)));
    if (!"killed".equals(job.getString("state"))) {
      System.err.println("tern: " + id + " is still " + job.getString("state") + "; it ends as soon as its node carries out the kill");
      return 1;
    }
    System.out.println("killed " + id);
    return 0;
  }

  static final Subcommand EXPOSE = new Subcommand("expose", "JOB PORT[:PUBLIC]", """
      forward the gateway's outside PUBLIC port (or a free one in 20000-29999)
      to the job's PORT; follows the job through migrations; prints the public
      port
      """, Option.JSON) {
    @Override int execute(Arguments args) { return expose(args); }
  };

  private static int expose(Arguments args) {
    List<String> operands = args.operands();
    if (operands.size() != 2) throw new CliError(2, "expose: tern expose JOB PORT[:PUBLIC]");
    JsonObject mapping = portMapping(operands.get(1));
    JsonObject job = new JsonObject(GatewayConnection.find().call("POST", "/v1/jobs/" + operands.get(0) + "/expose",
        mapping, Duration.ofSeconds(30)));
    int port = mapping.getInteger("port");
    for (Object o : job.getJsonArray("exposed", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      if (e.getInteger("port") == port) System.out.println(args.json() ? e.encodePrettily() : Integer.toString(e.getInteger("public")));
    }
    return 0;
  }

  static final Subcommand UNEXPOSE = new Subcommand("unexpose", "JOB PORT", "stop forwarding to the job's PORT\n", Option.JSON.hide()) {
    @Override int execute(Arguments args) { return unexpose(args); }
  };

  private static int unexpose(Arguments args) {
    List<String> operands = args.operands();
    if (operands.size() != 2) throw new CliError(2, "unexpose: tern unexpose JOB PORT");
    GatewayConnection.find().call("DELETE", "/v1/jobs/" + operands.get(0) + "/expose/" + operands.get(1), null, Duration.ofSeconds(30));
    return 0;
  }

  /** PORT or PORT:PUBLIC */
  static JsonObject portMapping(String text) {
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
}
