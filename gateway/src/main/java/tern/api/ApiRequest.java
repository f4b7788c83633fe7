package tern.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tern.json.JsonFields;
import tern.protocol.Identifiers;
import tern.request.RequestError;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a route reads from its request, typed and checked: the job or node the path names, integers
 * from the path and the query, and the JSON body's fields. Anything wrong is a 400 naming what.
 */
final class ApiRequest {
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,40}");
  private final RoutingContext ctx;

  ApiRequest(RoutingContext ctx) { this.ctx = ctx; }

  /** The path's :id. */
  String jobId() { return named("id", Identifiers.JOB_ID, Identifiers.JOB_ID_SHAPE); }

  /** A job id in the query (null: none given). */
  String optionalJobId(String name) {
    String v = ctx.queryParam(name).stream().findFirst().orElse(null);
    if (v != null && !Identifiers.JOB_ID.matcher(v).matches()) {
      throw new RequestError(400, "'" + name + "': " + JsonFields.quote(v) + " is not " + Identifiers.JOB_ID_SHAPE);
    }
    return v;
  }

  /** The path's :name. */
  String node() { return named("name", Identifiers.NODE_NAME, Identifiers.NODE_NAME_SHAPE); }

  /** The path's :mac, a MAC address (upper case and '-' taken too). */
  tern.admission.MacAddress mac() {
    try {
      return tern.admission.MacAddress.parse(ctx.pathParam("mac"));
    } catch (IllegalArgumentException e) {
      throw new RequestError(400, e.getMessage());
    }
  }

  /** The path's :port, a TCP port. */
  int port() { return (int) integer("port", ctx.pathParam("port"), 1, 65535); }

  /** Where the request came from: address and port. */
  String remoteAddress() { return String.valueOf(ctx.request().remoteAddress()); }

  /** Where the request came from: the address only (what limits count by). */
  String remoteHost() { return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress(); }

  boolean secure() { return ctx.request().isSSL(); }

  /** The page session the request came with: a route of the page's takes no token (an absolute-form request got past its guard with one). */
  tern.web.Sessions.Session session() {
    tern.web.Sessions.Session s = ctx.get(ApiRouter.SESSION);
    if (s == null) throw new RequestError(401, "no valid session: sign in at /login");
    return s;
  }

  long query(String name, long min, long max, long absent) {
    String v = ctx.queryParam(name).stream().findFirst().orElse(null);
    return v == null ? absent : integer(name, v, min, max);
  }

  /** The body's fields: a JSON object, in UTF-8; no body at all counts as {}. */
  JsonFields body() {
    Buffer b = ctx.body().buffer();
    String text;
    try {
      text = b == null ? "" : StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new RequestError(400, "request body is not valid UTF-8");
    }
    if (text.isBlank()) return JsonFields.of(new JsonObject());
    Object json;
    try {
      json = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new RequestError(400, "request body is not a JSON object: " + e.getMessage());
    }
    if (!(json instanceof JsonObject o)) {
      throw new RequestError(400, "request body is not a JSON object but "
          + (json instanceof JsonArray ? "an array" : json instanceof String ? "a string"
          : json instanceof Number ? "a number" : String.valueOf(json)));
    }
    return JsonFields.of(o);
  }

  private String named(String param, Pattern shape, String what) {
    String v = ctx.pathParam(param);
    if (v == null || !shape.matcher(v).matches()) throw new RequestError(400, JsonFields.quote(String.valueOf(v)) + " is not " + what);
    return v;
  }

  private static long integer(String name, String text, long min, long max) {
    if (text == null || !INTEGER.matcher(text).matches() || new BigInteger(text).compareTo(BigInteger.valueOf(min)) < 0
        || new BigInteger(text).compareTo(BigInteger.valueOf(max)) > 0) {
      throw new RequestError(400, "'" + name + "' must be an integer from " + min + " to " + max + ", got " + JsonFields.quote(String.valueOf(text)));
    }
    return Long.parseLong(text);
  }
}
