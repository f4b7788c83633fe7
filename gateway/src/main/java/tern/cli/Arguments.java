package tern.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A command's arguments, read by the options it declares: what each option was given, and the operands. */
final class Arguments {
  // by identity: a record's hashCode is bootstrapped at run time, which a client's start would pay
  private final Map<Option, List<String>> given = new IdentityHashMap<>();
  private final List<String> operands = new ArrayList<>();
  private boolean helpWanted;

  private Arguments() { }

  static Arguments parse(Subcommand command, List<String> args) {
    Arguments a = new Arguments();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (command.optionsFirst() && (arg.equals("--") || !arg.startsWith("-"))) {
        a.operands.addAll(args.subList(arg.equals("--") ? i + 1 : i, args.size()));
        break;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        a.helpWanted = true;
        continue;
      }
      Option o = command.option(arg);
      if (o == null) {
        if (command.optionsFirst()) throw new CliError(2, command.name() + ": unknown option " + arg);
        // the command's own check of its operands says what it wanted instead
        a.operands.add(arg);
        continue;
      }
      List<String> values = a.given.get(o);
      if (values == null) a.given.put(o, values = new ArrayList<>());
      if (o.kind() == Option.Kind.FLAG) continue;
      String value = i + 1 < args.size() ? args.get(++i) : null;
      if (o.kind() == Option.Kind.WORD && !o.value().equals(value)) throw new CliError(2, arg + " takes '" + o.value() + "'");
      if (value == null) throw new CliError(2, arg + " needs a value");
      if (o.kind() != Option.Kind.VALUES && !values.isEmpty()) throw new CliError(2, arg + " is given twice");
      values.add(value);
    }
    return a;
  }

  boolean helpWanted() { return helpWanted; }

  boolean has(Option o) { return given.containsKey(o); }

  boolean json() { return has(Option.JSON); }

  /** The option's value, or null when it was not given. */
  String value(Option o) {
    List<String> v = given.get(o);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The option's whole number from min to max, or absent when it was not given; anything else is a usage error of command. */
  int number(Option o, int min, int max, int absent, String command) {
    String n = value(o);
    if (n == null) return absent;
    int v;
    try {
      v = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      v = min - 1;
    }
    if (v < min || v > max) throw new CliError(2, command + ": " + o.name() + " takes a number from " + min + " to " + max + ", got '" + n + "'");
    return v;
  }

  List<String> values(Option o) { return given.getOrDefault(o, List.of()); }

  List<String> operands() { return operands; }

  /** For commands that take no operands. */
  void noOperands() {
    if (!operands.isEmpty()) throw new CliError(2, "unexpected arguments: " + String.join(" ", operands));
  }
}
