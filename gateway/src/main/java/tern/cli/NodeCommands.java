package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The commands about nodes: their load, and draining one for its shutdown. */
final class NodeCommands {
  private NodeCommands() { }

  private static final Option NAME = Option.value("--name", "NAME", "the accepted node's name (default: n and its MAC's last 6 digits)");

  static final Subcommand NODES = new Subcommand("nodes", "[accept MAC|forget MAC]", """
      nodes in the cluster, their load and CPU model, and PCs waiting to be
      accepted (pending, by MAC address); accept lets a PC take part (as NAME),
      forget makes it ask again
      """, NAME, Option.JSON) {
    @Override int execute(Arguments args) { return nodes(args); }
  };

  private static int nodes(Arguments args) {
    if (!args.operands().isEmpty()) return admission(args);
    if (args.has(NAME)) throw new CliError(2, "nodes: --name goes with tern nodes accept MAC");
    JsonArray nodes = new JsonArray(GatewayConnection.find().call("GET", "/v1/nodes", null, Duration.ofSeconds(20)));
    if (args.json()) {
      System.out.println(nodes.encodePrettily());
      return 0;
    }
    Table t = new Table("NODE", "STATE", "LAN", "CPU USED/CAP", "JOBS", "LINK", "MAC", "CPU MODEL");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      t.row(n.getString("name"), n.getString("state", "up"), n.getString("lanIp"),
          cpuUse(n), Table.orDash(n.getInteger("jobs")), Table.orDash(n.getString("link")), Table.orDash(n.getString("mac")),
          Table.cpuModel(n.getJsonObject("cpu", new JsonObject()).getString("model")));
    }
    t.print();
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      if ("pending".equals(n.getString("state"))) {
        System.err.println("tern: " + n.getString("mac") + " waits to be accepted: tern nodes accept " + n.getString("mac") + " [--name NAME]");
      } else if ("refused".equals(n.getString("state"))) {
        System.err.println("tern: member " + n.getString("name") + " at " + n.getString("lanIp") + " is refused: " + n.getString("reason"));
      }
    }
    return 0;
  }

  /** CPU used of capacity; a dash for a PC that has none to say (pending: not a member yet; down: no sample). */
  static String cpuUse(JsonObject n) {
    Double used = n.getDouble("cpuUsed"), capacity = n.getDouble("cpuCapacity");
    if ("pending".equals(n.getString("state")) || capacity == null) return "-";
    return used == null ? String.format("-/%.2f", capacity) : String.format("%.2f/%.2f", used, capacity);
  }

  /** tern nodes accept MAC [--name NAME], tern nodes forget MAC. */
  private static int admission(Arguments args) {
    java.util.List<String> ops = args.operands();
    String verb = ops.get(0);
    if (ops.size() != 2 || !verb.equals("accept") && !verb.equals("forget") || verb.equals("forget") && args.has(NAME)) {
      throw new CliError(2, "nodes: tern nodes accept MAC [--name NAME], or tern nodes forget MAC");
    }
    // the gateway checks the address's shape (the client's class path has no cluster classes)
    String mac = java.net.URLEncoder.encode(ops.get(1), java.nio.charset.StandardCharsets.UTF_8);
    GatewayConnection gateway = GatewayConnection.find();
    JsonObject e = new JsonObject(verb.equals("accept")
        ? gateway.call("POST", "/v1/admissions/" + mac + "/accept",
            args.has(NAME) ? new JsonObject().put("name", args.value(NAME)) : new JsonObject(), Duration.ofSeconds(30))
        : gateway.call("DELETE", "/v1/admissions/" + mac, null, Duration.ofSeconds(30)));
    System.out.println(args.json() ? e.encodePrettily() : verb.equals("accept")
        ? "accepted " + e.getString("mac") + " as " + e.getString("name") + ": it joins at its next try (every few seconds)"
        : "forgot " + e.getString("mac") + ": it must be accepted again");
    return 0;
  }

  private static final Option NO_WAIT = Option.flag("--no-wait", null, "return once the drain has begun");
  private static final Option TIMEOUT = Option.value("--timeout", "S", "give up waiting after S seconds (default 600)");

  static final Subcommand DRAIN = new Subcommand("drain", "NODE", """
      stop placing jobs on NODE and move its movable jobs away; waits until only
      pinned jobs are left and lists them with the reason they stay
      """, NO_WAIT, TIMEOUT, Option.JSON) {
    @Override int execute(Arguments args) { return drain(args); }
  };

  private static int drain(Arguments args) {
    boolean wait = !args.has(NO_WAIT);
    String t = args.value(TIMEOUT);
    if (args.operands().size() != 1) throw new CliError(2, "drain: tern drain NODE [--no-wait] [--timeout SECONDS]");
    long timeoutMs;
    try {
      timeoutMs = t == null ? 600_000 : (long) (Double.parseDouble(t) * 1000);
    } catch (NumberFormatException e) {
      throw new CliError(2, "drain: --timeout takes seconds, got '" + t + "'");
    }
    String node = args.operands().get(0);
    GatewayConnection gateway = GatewayConnection.find();
    JsonObject s = new JsonObject(gateway.call("POST", "/v1/nodes/" + node + "/drain", new JsonObject(), Duration.ofSeconds(30)));
    long deadline = System.currentTimeMillis() + timeoutMs;
    int shown = -1;
    while (wait && !s.getJsonArray("movable").isEmpty()) {
      int left = s.getJsonArray("movable").size();
      if (left != shown && !args.json()) System.err.println("tern: draining " + node + ": " + left + " job(s) to move: "
          + String.join(" ", s.getJsonArray("movable").stream().map(String::valueOf).toList()));
      shown = left;
      if (System.currentTimeMillis() > deadline) {
        throw new CliError(1, "drain of " + node + " not done after " + timeoutMs / 1000 + " s; still there: "
            + String.join(" ", s.getJsonArray("movable").stream().map(String::valueOf).toList()) + " (tern events says why)");
      }
      GatewayConnection.pause(500);
      s = new JsonObject(gateway.call("GET", "/v1/nodes/" + node + "/drain", null, Duration.ofSeconds(30)));
    }
    if (args.json()) {
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

  static final Subcommand UNDRAIN = new Subcommand("undrain", "NODE", "NODE takes jobs again\n", Option.JSON) {
    @Override int execute(Arguments args) { return undrain(args); }
  };

  private static int undrain(Arguments args) {
    if (args.operands().size() != 1) throw new CliError(2, "undrain: tern undrain NODE");
    String node = args.operands().get(0);
    JsonObject s = new JsonObject(GatewayConnection.find().call("POST", "/v1/nodes/" + node + "/undrain", new JsonObject(), Duration.ofSeconds(30)));
    System.out.println(args.json() ? s.encodePrettily() : node + " takes jobs again");
    return 0;
  }
}
