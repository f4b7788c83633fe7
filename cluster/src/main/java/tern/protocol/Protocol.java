package tern.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.vertx.core.json.JsonObject;
import tern.util.Util;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The wire form of {@link Command}s, {@link Reply}s and {@link Event}s: a JSON object of the record's
 * fields (by Jackson), a command with its name in "op" and an event with its name in "type". The names
 * are the records' names in kebab case ({@code JobEnded} is "job-ended"), found from the sealed
 * interfaces, so a new command is a new record and nothing else. The only place where a command or an
 * event has a name as a string.
 */
public final class Protocol {
  static final String OP = "op";
  static final String TYPE = "type";
  /** Put there by {@link tern.cluster.ClusterSecret#sign}: not the command's own. */
  private static final String ISSUED_AT = "issuedAt";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .registerModule(new SimpleModule("tern-protocol")
          // a job's spec keeps its own checked form (JobSpec.fromJson names the field that is wrong)
          .addSerializer(JobSpec.class, new StdSerializer<>(JobSpec.class) {
            @Override public void serialize(JobSpec spec, JsonGenerator gen, SerializerProvider p) throws IOException {
              gen.writeRawValue(spec.toJson().encode());
            }
          })
          .addDeserializer(JobSpec.class, new StdDeserializer<>(JobSpec.class) {
            @Override public JobSpec deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
              @SuppressWarnings("unchecked") Map<String, Object> fields = p.readValueAs(Map.class);
              return JobSpec.fromJson(new JsonObject(fields));
            }
          }));
  private static final Map<String, Class<?>> COMMANDS = named(Command.class);
  private static final Map<String, Class<?>> EVENTS = named(Event.class);

  private Protocol() { }

  public static JsonObject encode(Command<?> command) { return fields(command).put(OP, nameOf(command)); }

  public static JsonObject encode(Event event) { return fields(event).put(TYPE, nameOf(event)); }

  public static JsonObject encode(Reply reply) { return fields(reply); }

  /** A reply, a job's description in the history: the record's fields. */
  public static JsonObject fields(Object value) {
    try {
      return new JsonObject(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value + ": " + e.getMessage(), e);
    }
  }

  /** A checked command; fails with {@link IllegalArgumentException} saying what is wrong with it. */
  public static Command<?> command(JsonObject json) {
    return (Command<?>) decode(json, OP, COMMANDS, "command");
  }

  public static Event event(JsonObject json) { return (Event) decode(json, TYPE, EVENTS, "event"); }

  /** The reply to command, read back with its type. */
  public static <R extends Reply> R reply(Command<R> command, JsonObject json) {
    @SuppressWarnings("unchecked") Class<R> type = (Class<R>) replyType(command.getClass());
    return read(json, type);
  }

  /** A record's fields as {@link #fields} wrote them. */
  public static <T> T read(JsonObject json, Class<T> type) {
    try {
      return MAPPER.readValue(json.encode(), type);
    } catch (JsonProcessingException e) {
      // the cause is a JobSpec's own check when there is one; Jackson's message without its parser location otherwise
      String why = e.getCause() != null ? Util.rootMessage(e) : e.getOriginalMessage();
      throw new IllegalArgumentException("malformed " + kebab(type.getSimpleName()) + ": " + why, e);
    }
  }

  public static String nameOf(Command<?> command) { return kebab(command.getClass().getSimpleName()); }

  public static String nameOf(Event event) { return kebab(event.getClass().getSimpleName()); }

  private static Object decode(JsonObject json, String key, Map<String, Class<?>> types, String what) {
    Object name = json.getValue(key);
    Class<?> type = name instanceof String s ? types.get(s) : null;
    if (type == null) throw new IllegalArgumentException("unknown " + what + " '" + (name == null ? "" : name) + "'");
    JsonObject fields = json.copy();
    fields.remove(key);
    fields.remove(ISSUED_AT);
    return read(fields, type);
  }

  /** The records under a sealed interface (and the sealed interfaces under it), by name. */
  private static Map<String, Class<?>> named(Class<?> root) {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (Class<?> c : root.getPermittedSubclasses()) {
      if (c.isInterface()) out.putAll(named(c));
      else out.put(kebab(c.getSimpleName()), c);
    }
    return out;
  }

  /** The reply type a command's record declares: R of the Command&lt;R&gt; it implements. */
  static Class<?> replyType(Class<?> command) {
    for (Type t : command.getGenericInterfaces()) {
      if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Command.class.isAssignableFrom(raw)) {
        return (Class<?>) p.getActualTypeArguments()[0];
      }
    }
    throw new IllegalStateException(command + " declares no reply type");
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /** Every command's and event's name, for the tests: the names on the wire. */
  static Map<String, Class<?>> commands() { return COMMANDS; }

  static Map<String, Class<?>> events() { return EVENTS; }
}
