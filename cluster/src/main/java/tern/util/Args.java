package tern.util;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the services (--name value, --flag); unknown or missing ones fail with usage. */
public final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final String usage;

  public Args(String[] args, String program, List<String> options) {
    this.usage = "usage: " + program + " " + String.join(" ", options);
    Set<String> known = new HashSet<>();
    Set<String> flagNames = new HashSet<>();
    for (String o : options) {
      String name = o.replace("[", "").replace("]", "").split(" ")[0];
      known.add(name);
      if (!o.replace("[", "").replace("]", "").contains(" ")) flagNames.add(name);
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) { System.out.println(usage); System.exit(0); }
      if (!known.contains(a)) fail("unknown option " + a);
      if (flagNames.contains(a)) flags.add(a);
      else if (i + 1 < args.length) values.put(a, args[++i]);
      else fail(a + " needs a value");
    }
  }

  public String required(String name) {
    String v = values.get(name);
    if (v == null) fail("missing " + name);
    return v;
  }

  public String optional(String name, String fallback) { return values.getOrDefault(name, fallback); }

  public boolean flag(String name) { return flags.contains(name); }

  private void fail(String why) {
    System.err.println(why + "\n" + usage);
    System.exit(2);
  }
}
