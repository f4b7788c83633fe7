package tern.os;

import java.util.List;

/** A started program with everything it started: what must go when it is stopped for good. */
final class ProcessTree {
  private ProcessTree() { }

  /**
   * Kills the process and all its descendants with SIGKILL. Not by process group: a started program
   * shares the JVM's group. Each process's children are listed before it dies, because once it is dead
   * they belong to init and no longer show as its descendants.
   */
  static void kill(Process p) { kill(p.toHandle()); }

  private static void kill(ProcessHandle h) {
    List<ProcessHandle> children = h.children().toList();
    h.destroyForcibly();
    for (ProcessHandle child : children) kill(child);
  }
}
