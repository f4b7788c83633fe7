package tern.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One command of the client: its name, its operands and options, its help, and (in {@link #execute}) the
 * code that runs it. The usage is made from these, so it says what the parser accepts.
 * Each command is an anonymous subclass, not a lambda: a lambda is linked at run time, which every
 * client start would pay (20 ms of CPU here).
 */
abstract class Subcommand {
  private final String name;
  private final String operands;
  private final boolean optionsFirst;
  private final List<Option> options;
  private final String help;

  /** help: lines of at most 75 characters, each ending in a newline. */
  Subcommand(String name, String operands, String help, Option... options) {
    this(name, operands, false, help, options);
  }

  /** optionsFirst: the options end where the operands begin (those of `run` are a program's own: cc -o x.o). */
  Subcommand(String name, String operands, boolean optionsFirst, String help, Option... options) {
    this.name = name;
    this.operands = operands;
    this.optionsFirst = optionsFirst;
    this.options = List.of(options);
    this.help = help;
  }

  /** Runs the command on its parsed arguments; returns the exit status. */
  abstract int execute(Arguments args);

  final int run(List<String> args) {
    Arguments parsed = Arguments.parse(this, args);
    if (parsed.helpWanted()) {
      System.out.print(usage());
      return 0;
    }
    return execute(parsed);
  }

  final String name() { return name; }

  final boolean optionsFirst() { return optionsFirst; }

  final String help() { return help; }

  final Option option(String arg) {
    for (Option o : options) if (o.named(arg)) return o;
    return null;
  }

  /** tern migrate JOB [--to NODE] [-o json] */
  final String synopsis() {
    List<String> parts = new ArrayList<>(List.of("tern", name));
    if (!optionsFirst && !operands.isEmpty()) parts.add(operands);
    for (Option o : options) if (!o.hidden()) parts.add(o.synopsis());
    if (optionsFirst && !operands.isEmpty()) parts.add(operands);
    return String.join(" ", parts);
  }

  /** What `tern NAME --help` prints. */
  final String usage() {
    StringBuilder b = new StringBuilder("usage: ").append(synopsis()).append("\n\n").append(help);
    String heading = "\noptions:\n";
    for (Option o : options) {
      if (o.hidden()) continue;
      b.append(heading).append(Commands.column("  ".concat(o.names()), o.help()));
      heading = "";
    }
    return b.toString();
  }
}
