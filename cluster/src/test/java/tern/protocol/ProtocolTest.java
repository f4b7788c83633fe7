package tern.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one side encodes the other decodes to the same command, event or reply; anything else is refused, saying why. */
class ProtocolTest {
  private static final JobSpec SPEC = new JobSpec("j7", List.of("sleep", "10"), "/tmp", Map.of("A", "1"), 3_000_000_000L, 65534,
      "/var/tmp/tern-jobs/j7.out", new JobSpec.Stdio("10.78.0.1", 7072, "0123456789abcdef", new JobSpec.Terminal(24, 80)));
  private static final Reply.JobDescription DESCRIPTION = new Reply.JobDescription("j7", "10.79.0.7", 3_000_000_000L, 3,
      5L << 32, 6L << 32, SPEC, 1_700_000_000_000L);

  /** One of every command, in the order of a job's life. */
  private static final List<Command<?>> COMMANDS = List.of(new Command.Start(SPEC, "10.79.0.7"), new Command.Signal("j7", 2),
      new Command.Jobs(), new Command.Announce("j7", "m3", null), new Command.Prepare("j7", "m3", "restore-fails", DESCRIPTION),
      new Command.Dump("j7", "m3", null, new Reply.ImagePort("10.78.0.12", 40123)), new Command.Restore("j7", "m3", null),
      new Command.Resume("j7", "m3", null), new Command.Discard("j7", "m3", null), new Command.Rollback("j7", "m3", null),
      new Command.Abort("j7", "m3", null), new Command.Kill("j7"));

  @Test
  void everyCommandArrivesAsItWasSent() {
    assertEquals(Protocol.commands().size(), COMMANDS.size(), "a command without a case here: " + Protocol.commands().keySet());
    for (Command<?> c : COMMANDS) {
      JsonObject wire = Protocol.encode(c);
      assertEquals(Protocol.nameOf(c), wire.getString("op"));
      assertEquals(c, Protocol.command(new JsonObject(wire.encode()).put("issuedAt", 1L)), wire.encode());
    }
  }

  @Test
  void commandsAreNamedOnTheWireAsTheirTypesAre() {
    assertEquals(Set.of("start", "kill", "signal", "jobs", "announce", "prepare", "dump", "restore", "resume", "discard",
        "rollback", "abort"), Protocol.commands().keySet());
    assertEquals(Set.of("job-ended", "job-resumed", "node-up", "node-draining"), Protocol.events().keySet());
  }

  @Test
  void everyEventArrivesAsItWasSent() {
    List<Event> events = List.of(new Event.JobEnded("n1", "j7", 137), new Event.JobEnded("n1", "j7", null),
        new Event.JobResumed("n1", "j7", "m3"), new Event.NodeUp("n2"), new Event.NodeDraining("n2"));
    for (Event e : events) assertEquals(e, Protocol.event(new JsonObject(Protocol.encode(e).encode())));
    assertFalse(Protocol.encode(new Event.JobEnded("n1", "j7", null)).containsKey("exitCode"), "an absent exit code is no field");
  }

  @Test
  void aReplyIsReadAsTheTypeItsCommandDeclares() {
    Reply.Dumped dumped = new Reply.Dumped(1L, 2L, 3L << 33, 4L, 5L);
    Command.Dump dump = new Command.Dump("j7", "m3", null, "10.78.0.12", 40123);
    assertEquals(dumped, Protocol.reply(dump, new JsonObject(Protocol.encode(dumped).encode())));
    assertEquals(DESCRIPTION, Protocol.reply(new Command.Announce("j7", "m3", null), Protocol.encode(DESCRIPTION)));
    for (Class<?> c : Protocol.commands().values()) {
      Class<?> reply = Protocol.replyType(c);
      assertTrue(reply.isRecord() && Reply.class.isAssignableFrom(reply), c.getSimpleName() + " replies with " + reply);
    }
  }

  @Test
  void anUnknownCommandIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Protocol.command(new JsonObject().put("op", "format-disk").put("jobId", "j7")));
    assertEquals("unknown command 'format-disk'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Protocol.command(new JsonObject().put("jobId", "j7")));
    assertEquals("unknown command ''", e.getMessage());
  }

  @Test
  void aMalformedCommandIsRefusedNamingWhatIsWrong() {
    assertRefused("'uid'", Protocol.encode(new Command.Start(SPEC, "10.79.0.7")).put("job", SPEC.toJson().put("uid", "root")));
    assertRefused("signal", new JsonObject().put("op", "signal").put("jobId", "j7").put("signal", "INT"));
    assertRefused("signal", new JsonObject().put("op", "signal").put("jobId", "j7"));
    assertRefused("\"force\"", Protocol.encode(new Command.Kill("j7")).put("force", true));
  }

  private static void assertRefused(String phrase, JsonObject wire) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.command(wire));
    assertFalse(e.getMessage().contains("[Source:"), "no parser location: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("malformed ") && e.getMessage().contains(phrase), "message should name " + phrase + ": " + e.getMessage());
  }
}
