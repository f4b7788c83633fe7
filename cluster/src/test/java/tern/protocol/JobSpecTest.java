package tern.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JobSpec.fromJson is what a migrator receives: any field of the wrong type is a clear IllegalArgumentException. */
class JobSpecTest {
  static JsonObject valid() {
    return new JsonObject().put("id", "j7").put("argv", List.of("sleep", "10")).put("cwd", "/tmp").put("env", Map.of("A", "1"))
        .put("uid", 65534).put("gid", 65534).put("output", "/var/tmp/tern-jobs/j7.out");
  }

  static void assertRefused(String phrase, JsonObject json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobSpec.fromJson(json));
    assertTrue(e.getMessage().contains(phrase), "message should contain '" + phrase + "': " + e.getMessage());
  }

  @Test
  void aSpecSurvivesItsOwnJsonWithUidsAbove2To31() {
    JobSpec spec = JobSpec.fromJson(valid().put("uid", 3_000_000_000L).put("gid", JobSpec.MAX_ID));
    assertEquals(spec, JobSpec.fromJson(spec.toJson()));
    assertEquals(3_000_000_000L, spec.uid());
  }

  @Test
  void fieldsOfTheWrongTypeAreRefusedByName() {
    assertRefused("'argv' must be an array", valid().put("argv", "sleep 10"));
    assertRefused("'argv[1]' must be a string", valid().put("argv", List.of("sleep", 10)));
    assertRefused("'uid' must be an integer", valid().put("uid", "65534"));
    assertRefused("'env' must be an object", valid().put("env", 3));
    assertRefused("'env.A' must be a string", valid().put("env", Map.of("A", 1)));
    assertRefused("'stdio' must be an object", valid().put("stdio", "x"));
    assertRefused("'id' must be a job id", valid().put("id", "../j7"));
  }

  @Test
  void numbersNeverWrap() {
    assertRefused("'uid' must be an integer from 1 to 4294967294, got 4294974296", valid().put("uid", 4_294_967_296L + 7000));
    assertRefused("'gid' must be an integer from 1 to 4294967294, got -1", valid().put("gid", -1));
    assertRefused("'uid' must be an integer from 1 to 4294967294, got 0", valid().put("uid", 0));
  }

  @Test
  void aNullEnvironmentIsAnEmptyOne() {
    assertEquals(Map.of(), JobSpec.fromJson(valid().putNull("env")).env());
  }

  @Test
  void whatExecCannotTakeIsRefusedBeforeAnyNodeTries() {
    assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of(), "/", Map.of(), 1, 1));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of("x".repeat(JobSpec.MAX_ARG_BYTES + 1)), "/", Map.of(), 1, 1))
        .getMessage().contains("'argv[0]' is longer than exec takes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of("true"), "/", Map.of("A=B", "1"), 1, 1))
        .getMessage().contains("bad variable name"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of("true"), "tmp", Map.of(), 1, 1))
        .getMessage().contains("'cwd' must be an absolute path"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of("true"), "/", Map.of(), 0, 1))
        .getMessage().contains("never run as root"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobSpec.check(List.of("true"), "/", Map.of(), 1, 0))
        .getMessage().contains("never run as root"));
  }
}
