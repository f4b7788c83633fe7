package tern.cli;

import java.util.Arrays;
import java.util.List;

/**
 * The tern command-line client: finds the command in {@link Commands} and runs it.
 * Exit status: 0 ok, 1 refused or failed (with the reason), 2 usage, 3 no gateway.
 */
public final class Tern {
  private Tern() { }

  public static void main(String[] args) {
    int status;
    try {
      status = run(Arrays.asList(args));
    } catch (CliError e) {
      System.err.println("tern: " + e.getMessage());
      status = e.exitCode;
    }
    System.exit(status);
  }

  static int run(List<String> args) {
    if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.get(0))) {
      Subcommand asked = args.size() == 2 && args.get(0).equals("help") ? Commands.find(args.get(1)) : null;
      System.out.print(asked != null ? asked.usage() : Commands.usage());
      return args.isEmpty() ? 2 : 0;
    }
    Subcommand command = Commands.find(args.get(0));
    if (command == null) throw new CliError(2, "unknown command '" + args.get(0) + "'\n" + Commands.usage());
    return command.run(args.subList(1, args.size()));
  }
}
