package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

/** The commands about the balancer: switch it, and read its decisions. */
final class BalancerCommands {
  private BalancerCommands() { }

  static final Subcommand BALANCE = new Subcommand("balance", "[on|off|status]", """
      pause or resume the balancer (moves of running jobs; drains go on);
      without an argument, its state and what it has learned (migration
      cost, programs' lifetimes)
      """, Option.JSON) {
    @Override int execute(Arguments args) { return balance(args); }
  };

  private static int balance(Arguments args) {
    List<String> operands = args.operands();
    if (operands.size() > 1 || (operands.size() == 1 && !List.of("on", "off", "status").contains(operands.get(0)))) {
      throw new CliError(2, "balance: tern balance [on|off|status]");
    }
    GatewayConnection gateway = GatewayConnection.find();
    JsonObject s = operands.isEmpty() || operands.get(0).equals("status")
        ? new JsonObject(gateway.call("GET", "/v1/balance", null, Duration.ofSeconds(30)))
        : new JsonObject(gateway.call("POST", "/v1/balance", new JsonObject().put("enabled", operands.get(0).equals("on")), Duration.ofSeconds(30)));
    if (args.json()) {
      System.out.println(s.encodePrettily());
    } else {
      JsonObject l = s.getJsonObject("learned", new JsonObject());
      System.out.printf("balancer %s; migration cost learned from %d migrations: %.2f s + %.2f x (memory / link); %d programs' lifetimes known%n",
          s.getBoolean("enabled") ? "on" : "off", l.getInteger("migrationSamples", 0), l.getDouble("migrationFixedSeconds", 0.0),
          l.getDouble("migrationSlope", 0.0), l.getInteger("programsKnown", 0));
    }
    return 0;
  }

  private static final Option COUNT = Option.value("-n", "N", "the last N events (1 to 1000, default 20)");
  static final Option FOLLOW = Option.flag("--follow", "-f", "then every new one as it comes");

  static final Subcommand EVENTS = new Subcommand("events", "", """
      the balancer's decisions (taken and rejected, with cost, gain and expected
      remaining time) and what came of them
      """, COUNT, FOLLOW, Option.JSON) {
    @Override int execute(Arguments args) { return events(args); }
  };

  private static int events(Arguments args) {
    args.noOperands();
    // the gateway hands out at most 1000 events at a time
    int limit = args.number(COUNT, 1, 1000, 20, "events");
    boolean follow = args.has(FOLLOW);
    GatewayConnection gateway = GatewayConnection.find();
    long after = -1;
    do {
      JsonArray batch = new JsonArray(gateway.call("GET", "/v1/events?after=" + after + "&limit=" + (after < 0 ? limit : 1000), null,
          Duration.ofSeconds(30)));
      for (Object o : batch) {
        JsonObject e = (JsonObject) o;
        after = Math.max(after, e.getLong("seq"));
        System.out.println(args.json() ? e.encode() : String.format("%s %-8s %s", java.time.Instant.ofEpochMilli(e.getLong("at")).toString()
            .substring(11, 23), e.getString("kind"), e.getString("message")));
      }
      System.out.flush();
      if (follow) GatewayConnection.pause(1000);
    } while (follow);
    return 0;
  }
}
