package tern.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.cli.ReadmeUsageTest.stdout;

/** The client's table of commands: what each accepts, its help, and its usage errors (none of these reach a gateway). */
class CommandsTest {
  @Test
  void everyCommandAnswersHelpWithItsOwnUsageAndExitsZero() {
    for (Subcommand c : Commands.ALL) {
      for (String help : List.of("--help", "-h")) {
        String shown = stdout(() -> assertEquals(0, Tern.run(List.of(c.name(), help)), c.name() + " " + help));
        assertTrue(shown.startsWith("usage: tern " + c.name()), c.name() + " " + help + " printed: " + shown);
        assertTrue(shown.contains(c.help()), shown);
      }
    }
  }

  @Test
  void helpForOneCommandListsEachOfItsOptionsWithItsMeaning() {
    String shown = stdout(() -> assertEquals(0, Tern.run(List.of("help", "drain"))));
    assertTrue(shown.contains("  --no-wait  "), shown);
    assertTrue(shown.contains("  --timeout S  "), shown);
    assertTrue(shown.contains("  -o json  "), shown);
  }

  @Test
  void theUsageListsEveryCommandOnceInTheTablesOrder() {
    String usage = Commands.usage();
    int last = -1;
    for (Subcommand c : Commands.ALL) {
      int at = usage.indexOf("\n" + c.synopsis());
      assertTrue(at > last, c.name() + " is missing or out of order in:\n" + usage);
      assertEquals(at, usage.lastIndexOf("\n" + c.synopsis()), c.name() + " is listed twice");
      last = at;
    }
  }

  @Test
  void noArgumentsPrintsTheUsageAndExitsTwo() {
    String shown = stdout(() -> assertEquals(2, Tern.run(List.of())));
    assertEquals(Commands.usage(), shown);
  }

  @Test
  void anUnknownCommandIsAUsageErrorThatShowsTheUsage() {
    CliError e = assertThrows(CliError.class, () -> Tern.run(List.of("frobnicate")));
    assertEquals(2, e.exitCode);
    assertTrue(e.getMessage().startsWith("unknown command 'frobnicate'\nusage: tern"), e.getMessage());
  }

  @Test
  void runsOptionsEndWhereItsProgramBegins() {
    Arguments a = Arguments.parse(RunCommand.RUN, List.of("--detach", "--node", "n2", "cc", "-o", "x.o", "--help"));
    assertEquals(List.of("cc", "-o", "x.o", "--help"), a.operands());
    assertFalse(a.json(), "cc's -o is not run's");
    assertFalse(a.helpWanted(), "cc's --help is not run's");
    Arguments dashed = Arguments.parse(RunCommand.RUN, List.of("-o", "json", "--", "-x", "--"));
    assertTrue(dashed.json());
    assertEquals(List.of("-x", "--"), dashed.operands());
  }

  @Test
  void runRefusesAnOptionItDoesNotKnowBeforeTheProgram() {
    assertUsageError("run: unknown option --bogus", "run", "--bogus", "true");
  }

  @Test
  void otherCommandsTakeTheirOptionsAnywhere() {
    Arguments a = Arguments.parse(MigrationCommands.MIGRATE, List.of("-o", "json", "j7", "--to", "n2"));
    assertTrue(a.json());
    assertEquals(List.of("j7"), a.operands());
    assertEquals("n2", a.value(MigrationCommands.MIGRATE.option("--to")));
  }

  @Test
  void anOptionsAliasIsTheSameOption() {
    Arguments a = Arguments.parse(BalancerCommands.EVENTS, List.of("-f"));
    assertTrue(a.has(BalancerCommands.EVENTS.option("--follow")));
  }

  @Test
  void aRepeatableOptionKeepsEveryValueInOrder() {
    Arguments a = Arguments.parse(RunCommand.RUN, List.of("--expose", "80", "--expose", "22:2222", "sshd"));
    assertEquals(List.of("80", "22:2222"), a.values(RunCommand.RUN.option("--expose")));
  }

  @Test
  void aHiddenOptionIsAcceptedButNotShown() {
    Arguments a = Arguments.parse(MigrationCommands.MIGRATE, List.of("j1", "--inject-fault", "acceptor-dies"));
    assertEquals("acceptor-dies", a.value(MigrationCommands.MIGRATE.option("--inject-fault")));
    assertFalse(MigrationCommands.MIGRATE.usage().contains("inject-fault"), MigrationCommands.MIGRATE.usage());
    assertFalse(Commands.usage().contains("inject-fault"));
  }

  @Test
  void outputTakesOnlyJson() {
    assertUsageError("-o takes 'json'", "ps", "-o", "xml");
    assertUsageError("-o takes 'json'", "nodes", "-o");
  }

  @Test
  void anOptionWithoutItsValueOrGivenTwiceIsAUsageError() {
    assertUsageError("--to needs a value", "migrate", "j1", "--to");
    assertUsageError("--to is given twice", "migrate", "j1", "--to", "n1", "--to", "n2");
  }

  @Test
  void wrongOperandsAreUsageErrorsThatSayWhatWasWanted() {
    assertUsageError("migrate: give exactly one job id (tern migrate JOB [--to NODE])", "migrate");
    assertUsageError("unexpected arguments: extra", "ps", "extra");
    assertUsageError("drain: tern drain NODE [--no-wait] [--timeout SECONDS]", "drain");
    assertUsageError("drain: --timeout takes seconds, got 'soon'", "drain", "n1", "--timeout", "soon");
    assertUsageError("balance: tern balance [on|off|status]", "balance", "sideways");
    assertUsageError("events: -n takes a number from 1 to 1000, got 'many'", "events", "-n", "many");
    assertUsageError("'seven' is not PORT or PORT:PUBLIC", "expose", "j1", "seven");
    assertUsageError("run: -t and --detach do not go together (a detached job has no terminal)", "run", "-t", "--detach", "--", "true");
    assertUsageError("run: no command given (tern run --detach -- CMD ARGS...)", "run", "--detach");
  }

  private static void assertUsageError(String message, String... args) {
    CliError e = assertThrows(CliError.class, () -> Tern.run(List.of(args)), String.join(" ", args));
    assertEquals(message, e.getMessage());
    assertEquals(2, e.exitCode, message);
  }
}
