package tern.policy;

import java.util.List;
import java.util.Set;

/** Which program a job is, for learning lifetimes per program: "cc", "povray", "python3 render.py". */
public final class Programs {
  private Programs() { }

  /** Interpreters say little about a job; the script they run says more. */
  private static final Set<String> INTERPRETERS = Set.of("python", "python3", "perl", "ruby", "node", "sh", "bash", "dash", "java", "env");

  public static String nameOf(List<String> argv) {
    if (argv.isEmpty()) return "";
    String program = base(argv.get(0));
    if (!INTERPRETERS.contains(program)) return program;
    for (String a : argv.subList(1, argv.size())) {
      if (a.equals("-c")) return program + " -c";
      if (!a.startsWith("-")) return program + " " + base(a);
    }
    return program;
  }

  private static String base(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
