package tern.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The fields of a JSON object that came from outside this process (an API request, a command from
 * another member), read with their types and ranges checked. A wrong field fails with {@link Invalid}
 * naming it and what it must be, never with a ClassCastException or an NPE, and a number is never
 * wrapped to 32 bits. A null field counts as absent.
 */
public final class JsonFields {
  private final JsonObject json;
  private final String prefix;
  private final Set<String> read = new LinkedHashSet<>();

  private JsonFields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  public static JsonFields of(JsonObject json) { return new JsonFields(json, ""); }

  /** A field that is wrong: its name (with the path to it, e.g. "expose[1].port") and what it must be. */
  public static final class Invalid extends IllegalArgumentException {
    public Invalid(String message) { super(message); }
  }

  public boolean has(String name) { return value(name) != null; }

  public String string(String name) { return require(name, string(name, null)); }

  /** A string without NUL characters (no argument, path or variable can hold one). */
  public String string(String name, String absent) {
    Object v = value(name);
    if (v == null) return absent;
    if (!(v instanceof String s)) throw wrong(name, "a string", v);
    return checked(name, s);
  }

  /** A string that matches pattern, described to the caller as what. */
  public String matching(String name, Pattern pattern, String what) { return require(name, matching(name, pattern, what, null)); }

  public String matching(String name, Pattern pattern, String what, String absent) {
    String s = string(name, absent);
    if (s != null && !pattern.matcher(s).matches()) throw invalid(name, "must be " + what + ", got " + quote(s));
    return s;
  }

  public long integer(String name, long min, long max) {
    if (!has(name)) throw invalid(name, "is required (an integer from " + min + " to " + max + ")");
    return integer(name, min, max, min);
  }

  /** A JSON integer (no fraction, no exponent) from min to max. */
  public long integer(String name, long min, long max, long absent) {
    Object v = value(name);
    if (v == null) return absent;
    String range = "an integer from " + min + " to " + max;
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger)) {
      throw wrong(name, range, v);
    }
    BigInteger n = v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) throw wrong(name, range, v);
    return n.longValue();
  }

  public boolean bool(String name) {
    if (!has(name)) throw invalid(name, "is required (true or false)");
    return bool(name, false);
  }

  public boolean bool(String name, boolean absent) {
    Object v = value(name);
    if (v == null) return absent;
    if (!(v instanceof Boolean b)) throw wrong(name, "true or false", v);
    return b;
  }

  /** A non-empty array of strings. */
  public List<String> strings(String name) {
    JsonArray a = array(name);
    if (a == null || a.isEmpty()) throw invalid(name, "is required (a non-empty array of strings)");
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      String item = name + "[" + i + "]";
      if (!(a.getValue(i) instanceof String s)) throw wrong(item, "a string", a.getValue(i));
      out.add(checked(item, s));
    }
    return Collections.unmodifiableList(out);
  }

  /** An object whose every value is a string (empty when absent), in the order given. */
  public Map<String, String> stringMap(String name) {
    JsonObject o = objectValue(name);
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) return out;
    for (Map.Entry<String, Object> e : o) {
      String item = name + "." + e.getKey();
      if (!(e.getValue() instanceof String s)) throw wrong(item, "a string", e.getValue());
      out.put(checked(item, e.getKey()), checked(item, s));
    }
    return out;
  }

  /** A nested object's fields, or null when absent. */
  public JsonFields object(String name) {
    JsonObject o = objectValue(name);
    return o == null ? null : new JsonFields(o, prefix + name + ".");
  }

  /** An array of objects (empty when absent). */
  public List<JsonFields> objects(String name) {
    JsonArray a = array(name);
    List<JsonFields> out = new ArrayList<>();
    if (a == null) return out;
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) throw wrong(name + "[" + i + "]", "an object", a.getValue(i));
      out.add(new JsonFields(o, prefix + name + "[" + i + "]."));
    }
    return out;
  }

  /** Refuses the fields nobody read: a misspelt field is an error, not a silently ignored wish. */
  public void noOthers() {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new Invalid("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown.stream().map(f -> quote(prefix + f)).toList())
          + (read.isEmpty() ? " (this request takes none)" : " (known: " + String.join(", ", read) + ")"));
    }
  }

  private Object value(String name) {
    read.add(name);
    return json.getValue(name);
  }

  private JsonArray array(String name) {
    Object v = value(name);
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) throw wrong(name, "an array", v);
    return a;
  }

  private JsonObject objectValue(String name) {
    Object v = value(name);
    if (v == null) return null;
    if (!(v instanceof JsonObject o)) throw wrong(name, "an object", v);
    return o;
  }

  private String checked(String name, String s) {
    if (s.indexOf('\0') >= 0) throw invalid(name, "must not contain a NUL character");
    return s;
  }

  private <T> T require(String name, T v) {
    if (v == null) throw invalid(name, "is required");
    return v;
  }

  private Invalid wrong(String name, String what, Object got) {
    return invalid(name, "must be " + what + ", got " + describe(got));
  }

  private Invalid invalid(String name, String problem) { return new Invalid(quote(prefix + name) + " " + problem); }

  private static String describe(Object v) {
    if (v instanceof String s) return quote(s);
    if (v instanceof JsonObject) return "an object";
    if (v instanceof JsonArray) return "an array";
    return String.valueOf(v);
  }

  /** Quoted and cut short: the value may be a megabyte of junk. */
  public static String quote(String s) { return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'"; }
}
