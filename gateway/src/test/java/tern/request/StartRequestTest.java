package tern.request;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import tern.json.JsonFields;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start request is whole and right when it is read, or it is a 400 naming what is wrong. */
class StartRequestTest {
  static JsonObject valid() {
    return new JsonObject().put("argv", new JsonArray().add("true")).put("cwd", "/").put("env", new JsonObject().put("PATH", "/bin"))
        .put("uid", 65534).put("gid", 65534).put("user", "nobody");
  }

  static StartRequest read(JsonObject json) { return StartRequest.read(JsonFields.of(json)); }

  static void assertRefused(String phrase, JsonObject json) {
    IllegalArgumentException invalid = null;
    RequestError error = null;
    try {
      read(json);
    } catch (JsonFields.Invalid e) {
      invalid = e;
    } catch (RequestError e) {
      error = e;
    }
    assertTrue(invalid != null || (error != null && error.status() == 400), "should be refused with a 400: " + json.encode());
    String message = invalid != null ? invalid.getMessage() : error.getMessage();
    assertTrue(message.contains(phrase), "message should contain '" + phrase + "': " + message);
  }

  @Test
  void aValidRequestIsReadWhole() {
    StartRequest r = read(valid().put("node", "n2").put("interactive", true).put("tty", new JsonObject().put("rows", 24).put("cols", 80))
        .put("expose", new JsonArray().add(new JsonObject().put("port", 8080)).add(new JsonObject().put("port", 22).put("public", 20022))));
    assertEquals(List.of("true"), r.argv());
    assertEquals(65534, r.uid());
    assertEquals("n2", r.node());
    assertEquals(24, r.tty().rows());
    assertEquals(List.of(new ExposeRequest(8080, 0), new ExposeRequest(22, 20022)), r.expose());
  }

  @Test
  void everyFieldOfTheWrongTypeIsNamed() {
    assertRefused("'argv' must be an array", valid().put("argv", "true"));
    assertRefused("'uid' must be an integer", valid().put("uid", "65534"));
    assertRefused("'env' must be an object", valid().put("env", 5));
    assertRefused("'expose' must be an array", valid().put("expose", 5));
    assertRefused("'expose[0]' must be an object", valid().put("expose", new JsonArray().add(8080)));
    assertRefused("'interactive' must be true or false", valid().put("interactive", "yes"));
    assertRefused("'cwd' must be a string", valid().put("cwd", new JsonArray()));
    assertRefused("'node' must be a string", valid().put("node", 1));
  }

  @Test
  void numbersOutOfRangeAreRefusedNotWrapped() {
    assertRefused("'uid' must be an integer from 0 to 4294967294, got 4294974296", valid().put("uid", 4_294_967_296L + 7000));
    assertRefused("'gid' must be an integer from 0 to 4294967294, got -1", valid().put("gid", -1));
    assertRefused("'expose[0].port' must be an integer from 1 to 65535, got 4294974296",
        valid().put("expose", new JsonArray().add(new JsonObject().put("port", 4_294_967_296L + 7000))));
    assertRefused("'expose[0].port' must be an integer from 1 to 65535, got 0",
        valid().put("expose", new JsonArray().add(new JsonObject().put("port", 0))));
    assertRefused("'tty.rows' must be an integer from 1 to 10000",
        valid().put("interactive", true).put("tty", new JsonObject().put("rows", 1e9).put("cols", 80)));
    assertRefused("never run as root", valid().put("uid", 0));
  }

  @Test
  void inconsistentRequestsAreRefused() {
    assertRefused("only an interactive job gets a terminal", valid().put("tty", new JsonObject().put("rows", 24).put("cols", 80)));
    assertRefused("port 80 is listed twice",
        valid().put("expose", new JsonArray().add(new JsonObject().put("port", 80)).add(new JsonObject().put("port", 80))));
    assertRefused("public port 20001 is listed twice", valid().put("expose", new JsonArray()
        .add(new JsonObject().put("port", 80).put("public", 20001)).add(new JsonObject().put("port", 81).put("public", 20001))));
    assertRefused("unknown field 'uidd'", valid().put("uidd", 1));
    assertRefused("unknown field 'expose[0].publik'",
        valid().put("expose", new JsonArray().add(new JsonObject().put("port", 80).put("publik", 20001))));
    assertRefused("'node' must be a node name", valid().put("node", "N1; rm -rf /"));
    assertRefused("'cwd' must be an absolute path", valid().put("cwd", "tmp"));
    assertRefused("bad variable name", valid().put("env", new JsonObject().put("A=B", "c")));
  }
}
