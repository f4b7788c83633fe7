package tern.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The commands about migrations: migrate a job, and the cluster's history of them. */
final class MigrationCommands {
  private MigrationCommands() { }

  private static final Option TO = Option.value("--to", "NODE", "move it to NODE");
  private static final Option FAULT = Option.value("--inject-fault", "FAULT", "make the migration fail at FAULT (tests)").hide();

  static final Subcommand MIGRATE = new Subcommand("migrate", "JOB", """
      move a running job (default: the least-loaded other node); prints the
      migration record: each phase's duration, freeze time, bytes moved
      """, TO, Option.JSON, FAULT) {
    @Override int execute(Arguments args) { return migrate(args); }
  };

  private static int migrate(Arguments args) {
    if (args.operands().size() != 1) throw new CliError(2, "migrate: give exactly one job id (tern migrate JOB [--to NODE])");
    JsonObject body = new JsonObject();
    if (args.has(TO)) body.put("to", args.value(TO));
    if (args.has(FAULT)) body.put("fault", args.value(FAULT));
    JsonObject rec = new JsonObject(GatewayConnection.find().call("POST", "/v1/jobs/" + args.operands().get(0) + "/migrate", body,
        Duration.ofMinutes(15)));
    if (args.json()) {
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

  static final Subcommand MIGRATIONS = new Subcommand("migrations", "", "the cluster's migration history\n", Option.JSON) {
    @Override int execute(Arguments args) { return migrations(args); }
  };

  private static int migrations(Arguments args) {
    args.noOperands();
    JsonArray all = new JsonArray(GatewayConnection.find().call("GET", "/v1/migrations", null, Duration.ofSeconds(20)));
    if (args.json()) {
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
}
