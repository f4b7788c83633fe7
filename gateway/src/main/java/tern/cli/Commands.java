package tern.cli;

import java.util.List;

/** The client's commands, in the order the usage lists them. */
final class Commands {
  private Commands() { }

  /** `tern lab` is the launcher's (tests/lab/lab.sh); it is listed here so that the usage shows it. */
  private static final Subcommand LAB = new Subcommand("lab", "up|down|status|restart",
      "a cluster on this machine (tern lab --help: nodes, CPU share, link speed)\n") {
    @Override int execute(Arguments args) { throw new CliError(2, "lab: the tern launcher runs it (tern lab --help)"); }
  };

  static final List<Subcommand> ALL = List.of(RunCommand.RUN, JobCommands.EXPOSE, JobCommands.UNEXPOSE, JobCommands.PS,
      JobCommands.LOGS, JobCommands.KILL, NodeCommands.NODES, MigrationCommands.MIGRATE, MigrationCommands.MIGRATIONS, NodeCommands.DRAIN,
      NodeCommands.UNDRAIN, BalancerCommands.BALANCE, BalancerCommands.EVENTS, LAB);

  private static final String FOOTER = """

      Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage, 3 no gateway.
      The gateway is $TERN_URL with $TERN_TOKEN, or the lab's (/run/tern/lab/client.json).
      Jobs run as the calling user, in its working directory with its environment; root's jobs run
      as $SUDO_UID, or nobody, unless --user says otherwise.
      """;

  static Subcommand find(String name) {
    for (Subcommand c : ALL) if (c.name().equals(name)) return c;
    return null;
  }

  /** What `tern --help` prints (and the README shows). */
  static String usage() {
    StringBuilder b = new StringBuilder("usage: tern COMMAND [OPTIONS]   (tern COMMAND --help: the command's options)\n\n");
    for (Subcommand c : ALL) b.append(column(c.synopsis(), c.help()));
    return b.append(FOOTER).toString();
  }

  private static final int HELP_COLUMN = 27;

  /** left, then text's lines from the help column on: beside left when it fits, else below it. */
  static String column(String left, String text) {
    String indent = " ".repeat(HELP_COLUMN);
    StringBuilder b = new StringBuilder(left);
    boolean first = left.length() < HELP_COLUMN - 1;
    if (!first) b.append('\n');
    for (String line : text.split("\n")) {
      b.append(first ? " ".repeat(HELP_COLUMN - left.length()) : indent).append(line).append('\n');
      first = false;
    }
    return b.toString();
  }
}
