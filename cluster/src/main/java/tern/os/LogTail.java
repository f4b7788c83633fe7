package tern.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file, to put the real cause into an error message. */
public final class LogTail {
  private LogTail() { }

  public static String of(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      List<String> errors = all.stream().filter(l -> l.contains("Error") || l.contains("error")).toList();
      List<String> pick = errors.isEmpty() ? all : errors;
      return String.join("\n", pick.subList(Math.max(0, pick.size() - lines), pick.size()));
    } catch (IOException e) {
      return "(no log at " + file + ")";
    }
  }
}
