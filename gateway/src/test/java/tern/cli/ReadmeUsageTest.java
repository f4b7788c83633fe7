package tern.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's account of the client is the client's own help, so that neither drifts from the other. */
class ReadmeUsageTest {
  // surefire runs in the module's folder
  private static final Path README = Path.of("..", "README.md");

  @Test
  void readmeShowsTheClientsHelpWordForWord() throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf("\n## The client\n");
    assertTrue(section >= 0, README.toAbsolutePath() + " has no section '## The client'");
    int open = readme.indexOf("```\n", section);
    int close = readme.indexOf("\n```\n", open + 4);
    assertTrue(open >= 0 && close > open, "'## The client' in the README has no ``` block");
    String shown = readme.substring(open + 4, close + 1);
    assertEquals(help(), shown, "the README's usage block (## The client) must be what `tern --help` prints: paste it there");
  }

  static String help() {
    return stdout(() -> assertEquals(0, Tern.run(List.of("--help"))));
  }

  static String stdout(Runnable r) {
    PrintStream saved = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(saved);
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
