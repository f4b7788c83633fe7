package tern.json;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFieldsTest {
  static JsonFields fields(String json) { return JsonFields.of(new JsonObject(json)); }

  static void assertInvalid(String phrase, org.junit.jupiter.api.function.Executable read) {
    JsonFields.Invalid e = assertThrows(JsonFields.Invalid.class, read);
    assertTrue(e.getMessage().contains(phrase), "message should contain '" + phrase + "': " + e.getMessage());
  }

  @Test
  void integersAreCheckedAgainstTheirRangeAndNeverWrap() {
    JsonFields f = fields("{\"port\": 4294974296, \"uid\": 18446744073709551617, \"neg\": -1, \"frac\": 1.5, \"inf\": 1e309,"
        + " \"text\": \"7000\", \"ok\": 7000}");
    assertInvalid("'port' must be an integer from 1 to 65535, got 4294974296", () -> f.integer("port", 1, 65535));
    assertInvalid("'uid' must be an integer from 0 to 4294967294, got 18446744073709551617", () -> f.integer("uid", 0, 4294967294L));
    assertInvalid("'neg' must be an integer from 0 to", () -> f.integer("neg", 0, 10));
    assertInvalid("'frac' must be an integer", () -> f.integer("frac", 0, 10));
    assertInvalid("'inf' must be an integer", () -> f.integer("inf", 0, 10));
    assertInvalid("'text' must be an integer from 1 to 65535, got '7000'", () -> f.integer("text", 1, 65535));
    assertEquals(7000, f.integer("ok", 1, 65535));
    assertEquals(3, f.integer("absent", 1, 65535, 3));
    assertInvalid("'absent' is required", () -> f.integer("absent", 1, 65535));
  }

  @Test
  void eachTypeIsChecked() {
    JsonFields f = fields("{\"argv\": \"ls -l\", \"env\": 5, \"list\": [\"a\", 1], \"map\": {\"A\": \"1\", \"B\": 2},"
        + " \"flag\": \"yes\", \"nul\": \"a\\u0000b\", \"objs\": [{}, 3]}");
    assertInvalid("'argv' must be an array, got 'ls -l'", () -> f.strings("argv"));
    assertInvalid("'env' must be an object, got 5", () -> f.stringMap("env"));
    assertInvalid("'list[1]' must be a string, got 1", () -> f.strings("list"));
    assertInvalid("'map.B' must be a string, got 2", () -> f.stringMap("map"));
    assertInvalid("'flag' must be true or false", () -> f.bool("flag", false));
    assertInvalid("'nul' must not contain a NUL character", () -> f.string("nul"));
    assertInvalid("'objs[1]' must be an object", () -> f.objects("objs"));
  }

  @Test
  void nullCountsAsAbsent() {
    JsonFields f = fields("{\"env\": null, \"argv\": null, \"tty\": null, \"name\": null}");
    assertEquals(Map.of(), f.stringMap("env"));
    assertNull(f.object("tty"));
    assertNull(f.string("name", null));
    assertInvalid("'argv' is required", () -> f.strings("argv"));
    assertInvalid("'name' is required", () -> f.string("name"));
  }

  @Test
  void nestedFieldsAreNamedWithTheirPath() {
    JsonFields f = fields("{\"expose\": [{\"port\": 80}, {\"port\": 0}], \"tty\": {\"rows\": \"x\"}}");
    List<JsonFields> expose = f.objects("expose");
    assertEquals(80, expose.get(0).integer("port", 1, 65535));
    assertInvalid("'expose[1].port' must be an integer from 1 to 65535, got 0", () -> expose.get(1).integer("port", 1, 65535));
    assertInvalid("'tty.rows' must be an integer", () -> f.object("tty").integer("rows", 1, 10));
  }

  @Test
  void fieldsNobodyReadAreRefusedWhenAsked() {
    JsonFields f = fields("{\"to\": \"n2\", \"too\": 1}");
    assertEquals("n2", f.string("to"));
    assertInvalid("unknown field 'too' (known: to)", f::noOthers);
    assertInvalid("unknown fields 'a', 'b' (this request takes none)", fields("{\"a\": 1, \"b\": 2}")::noOthers);
    fields("{}").noOthers();
  }

  @Test
  void aLongValueIsCutShortInTheMessage() {
    JsonFields f = fields("{\"n\": \"" + "x".repeat(100_000) + "\"}");
    JsonFields.Invalid e = assertThrows(JsonFields.Invalid.class, () -> f.integer("n", 0, 1));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }
}
