package tern.cli;

/** One option of a command: its names, what follows it, and its help, declared once for the parser and the usage. */
record Option(String name, String alias, Kind kind, String value, boolean hidden, String help) {
  enum Kind {
    /** present or not */
    FLAG,
    /** takes one value */
    VALUE,
    /** takes a value each time it is given */
    VALUES,
    /** takes one fixed word (-o json) */
    WORD
  }

  /** Output as the gateway's JSON instead of text: every command's answer is also a JSON document. */
  static final Option JSON = new Option("-o", null, Kind.WORD, "json", false, "print the gateway's answer as JSON");

  static Option flag(String name, String alias, String help) { return new Option(name, alias, Kind.FLAG, null, false, help); }

  static Option value(String name, String value, String help) { return new Option(name, null, Kind.VALUE, value, false, help); }

  static Option values(String name, String value, String help) { return new Option(name, null, Kind.VALUES, value, false, help); }

  /** For the tests' fault injection: accepted, never shown. */
  Option hide() { return new Option(name, alias, kind, value, true, help); }

  boolean named(String arg) { return arg.equals(name) || arg.equals(alias); }

  // The usage is built with StringBuilder, not +: javac's + is linked at run time (StringConcatFactory),
  // which cost `tern --help` 40 ms of CPU here.

  /** As the usage line shows it: [--node NODE], [--expose PORT]... */
  String synopsis() {
    StringBuilder b = new StringBuilder("[").append(name);
    if (value != null) b.append(' ').append(value);
    return b.append(kind == Kind.VALUES ? "]..." : "]").toString();
  }

  /** As the command's help lists it: --detach, -d */
  String names() {
    StringBuilder b = new StringBuilder(name);
    if (alias != null) b.append(", ").append(alias);
    if (value != null) b.append(' ').append(value);
    return b.toString();
  }
}
