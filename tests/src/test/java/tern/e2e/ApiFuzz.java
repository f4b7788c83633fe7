package tern.e2e;

import io.vertx.core.json.Json;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Generated API requests, as the bytes to send: the real routes and others, any method, paths with
 * odd characters and percent-encodings valid and invalid, every content type, bodies malformed,
 * oversized or with a wrong value in a field (huge, negative and fractional numbers, wrong types),
 * and bytes that are not UTF-8. Random, but from a seed, so that a run can be replayed.
 *
 * A generated request never changes what it must not: the protected jobs are named only by GET and
 * HEAD (a DELETE or a migrate would end or move them), the protected node is never drained (a drain
 * moves its jobs away), the balancer is never turned on, and a start that could succeed runs
 * {@code true} as nobody.
 */
final class ApiFuzz {
  /**
   * One request: its number in the run, what it is in a line, and its bytes. otherVersion: it says
   * HTTP/2.0 or HTTP/1.2 in an HTTP/1 request line.
   */
  record Request(int index, String method, String line, byte[] bytes, boolean otherVersion) {
    @Override public String toString() { return "#" + index + " " + line; }
  }

  private record Route(String method, String template, Supplier<Map<String, String>> body) { }

  static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
  private static final String[] ODD_METHODS = {"TRACE", "CONNECT", "BREW", "get", "G\u00c9T", "POST "};
  private static final String[] BAD_ENCODINGS = {"%", "%z", "%zz", "%G1", "%C3%28", "%FF", "%00", "%2F", "%2e%2e", "%%", "%u0041", "%E2%82"};
  private static final String[] ODD_CHARS = {"\u00ff", "\u0080", "<>", "\"", "{}", "|", "\\", "^", "`", "..", "//", ";x=1", "#frag", "?", " x", "\t",
      "%20", "+", "\u00e9", "/.", "/../"};
  /** Numbers a field may get: huge ones that wrap to 32 or 64 bits, negative, fractional, infinite. */
  private static final String[] NUMBERS = {"4294974296", "-1", "0", "1.5", "1e309", "-1e309", "18446744073709551616", "9223372036854775807",
      "-9223372036854775808", "4294967295", "2147483648", "65536", "7000.0", "1e3", "99999999999999999999999999999999999999", "-0"};
  /** Numbers no uid or gid is (65534 is the only one a start may run as). */
  private static final String[] NOT_IDS = {"4294974296", "-1", "0", "-0", "1.5", "1e309", "18446744073709551616", "9223372036854775807",
      "-9223372036854775808", "4294967295", "65534.0", "1e3", "\"65534\"", "null", "[65534]"};
  private static final String[] CONTENT_TYPES = {"multipart/form-data; boundary=fuzz", "application/x-www-form-urlencoded", "text/plain",
      "application/json; charset=iso-8859-1", "application/xml", "\u0001", "application/json;;;", "multipart/mixed"};

  private final Random random;
  private final String host;
  private final String token;
  private final List<String> anyIds;
  private final List<String> changeableIds;
  private final Set<String> protectedNames;
  private final List<String> nodes;
  private final List<String> drainableNodes;
  private final String cwd;
  private final List<Route> routes = new ArrayList<>();

  /**
   * readableIds: jobs any request may name; changeableIds: ended or unknown jobs, which even a kill may
   * name; protectedNames: the jobs and the node no request other than a GET or HEAD may name; a drain
   * names only one of drainableNodes.
   */
  ApiFuzz(long seed, String host, String token, List<String> readableIds, List<String> changeableIds, Set<String> protectedNames,
          List<String> nodes, List<String> drainableNodes, String cwd) {
    this.random = new Random(seed);
    this.host = host;
    this.token = token;
    this.anyIds = readableIds;
    this.changeableIds = changeableIds;
    this.protectedNames = protectedNames;
    this.nodes = nodes;
    this.drainableNodes = drainableNodes;
    this.cwd = cwd;
    Supplier<Map<String, String>> none = () -> null;
    routes.add(new Route("GET", "/v1/nodes", none));
    routes.add(new Route("GET", "/v1/jobs", none));
    routes.add(new Route("GET", "/v1/jobs/{id}", none));
    routes.add(new Route("POST", "/v1/jobs", this::startBody));
    routes.add(new Route("POST", "/v1/jobs", this::startBody));
    routes.add(new Route("DELETE", "/v1/jobs/{id}", none));
    routes.add(new Route("POST", "/v1/jobs/{id}/migrate", this::migrateBody));
    routes.add(new Route("POST", "/v1/jobs/{id}/expose", this::exposeBody));
    routes.add(new Route("DELETE", "/v1/jobs/{id}/expose/{port}", none));
    routes.add(new Route("POST", "/v1/nodes/{node}/drain", () -> new LinkedHashMap<>()));
    routes.add(new Route("GET", "/v1/nodes/{node}/drain", none));
    routes.add(new Route("POST", "/v1/nodes/{node}/undrain", () -> new LinkedHashMap<>()));
    routes.add(new Route("GET", "/v1/events", none));
    routes.add(new Route("GET", "/v1/balance", none));
    routes.add(new Route("POST", "/v1/balance", this::balanceBody));
    routes.add(new Route("GET", "/v1/migrations", none));
    routes.add(new Route("GET", "/metrics", none));
    routes.add(new Route("GET", "/", none));
    routes.add(new Route("GET", "/v1/jobs/{id}/targets", none));
    // not followed: a followed output of a running job is answered, but never ends
    routes.add(new Route("GET", "/v1/jobs/{id}/output", none));
    routes.add(new Route("GET", "/v1/audit", none));
    // the admin page's: without a session each is refused; a login's token is never a string here, so no
    // wrong token is counted against this address (a test after this one signs in from it)
    routes.add(new Route("POST", "/ui/login", () -> new LinkedHashMap<>(Map.of("token", pick(NUMBERS)))));
    routes.add(new Route("POST", "/ui/logout", () -> new LinkedHashMap<>()));
    routes.add(new Route("GET", "/ui/session", none));
    routes.add(new Route("GET", "/ui/stream", none));
    routes.add(new Route("GET", "/login", none));
    routes.add(new Route("GET", "/assets/lib/uPlot.min.css", none));
    routes.add(new Route("GET", "/assets/lib/preact-htm.js", none));
    routes.add(new Route("GET", "/assets/app.js", none));
    routes.add(new Route("GET", "/assets/{id}.js", none));
    routes.add(new Route("GET", "/v2/jobs", none));
    routes.add(new Route("GET", "/v1/jobs/{id}/nothing", none));
  }

  Request next(int index) {
    while (true) {
      Request r = attempt(index);
      if (r != null) return r;
    }
  }

  private Request attempt(int index) {
    Route route = pick(routes);
    String method = chance(5) ? (chance(8) ? pick(ODD_METHODS) : pick(METHODS)) : route.method();
    boolean reading = method.equals("GET") || method.equals("HEAD");
    String path = route.template().replace("{id}", reading ? pick(anyIds) : pick(changeableIds))
        .replace("{node}", node(!reading && route.template().endsWith("/drain")))
        .replace("{port}", chance(2) ? "8080" : pick(NUMBERS));
    String target = mutatePath(path) + query(route.template());
    if (!reading && namesProtected(target)) return null;

    Map<String, String> fields = route.body().get();
    byte[] body = fields != null ? body(fields) : chance(10) ? body(junkFields()) : new byte[0];
    if (!reading && route.template().equals("/v1/balance") && new String(body, StandardCharsets.ISO_8859_1).contains("true")) return null;

    String version = chance(12) ? "HTTP/1.0" : chance(60) ? pick(new String[] {"HTTP/2.0", "HTTP/1.2", "HTTP/x", "HTTP/1.1 extra"}) : "HTTP/1.1";
    StringBuilder head = new StringBuilder(method + " " + target + " " + version + "\r\n");
    if (!(version.equals("HTTP/1.0") && chance(2)) && !chance(80)) head.append("Host: ").append(host).append("\r\n");
    if (chance(60)) head.append("Authorization: Bearer ").append(token).append("x\r\n");
    else if (!chance(60)) head.append("Authorization: Bearer ").append(token).append("\r\n");
    String type = body.length == 0 && chance(2) ? null : chance(3) ? pick(CONTENT_TYPES) : chance(5) ? null : "application/json";
    if (type != null) head.append("Content-Type: ").append(type).append("\r\n");
    if (chance(20)) head.append("Expect: 100-continue\r\n");
    if (chance(30)) head.append("X-Junk: ").append("y".repeat(random.nextInt(9000))).append("\r\n");
    boolean chunked = body.length > 0 && chance(6);
    if (chunked) head.append("Transfer-Encoding: chunked\r\n");
    else if (body.length > 0 || chance(3)) head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("\r\n");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + random.nextInt(70_000));
        bytes.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(body, at, n);
        bytes.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        at += n;
      }
      bytes.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      bytes.writeBytes(body);
    }
    String shown = target.length() > 100 ? target.substring(0, 100) + "...(" + target.length() + " chars)" : target;
    String bodyShown = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1);
    String line = method + " " + shown + " " + version + (type == null ? "" : " [" + type + "]") + (chunked ? " chunked" : "")
        + (body.length == 0 ? "" : " body " + body.length + " bytes: " + bodyShown.replaceAll("\\p{Cntrl}", "?"));
    return new Request(index, method, line, bytes.toByteArray(), version.equals("HTTP/2.0") || version.equals("HTTP/1.2"));
  }

  private String node(boolean drain) {
    return chance(4) ? pick(new String[] {"n42", "N1", "", "n1n1n1n1n1", "node-1", "\u00e9", "n1;rm"}) : pick(drain ? drainableNodes : nodes);
  }

  /**
   * True when the path, decoded and with its dot segments resolved as the router does, has a segment
   * that is a protected name or starts with one (j1;x, j1%00): such a path goes only with GET or HEAD.
   */
  private boolean namesProtected(String target) {
    Deque<String> segments = new ArrayDeque<>();
    for (String s : target.split("[?#]", 2)[0].split("/")) {
      String d = leniently(leniently(s));
      if (d.equals("..")) segments.pollLast();
      else if (!d.equals(".")) segments.add(d);
    }
    return segments.stream().anyMatch(seg -> protectedNames.stream().anyMatch(p -> seg.startsWith(p)
        && (seg.length() == p.length() || !Character.isDigit(seg.charAt(p.length())))));
  }

  private static String leniently(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private String mutatePath(String path) {
    if (!chance(3)) return path;
    StringBuilder p = new StringBuilder(path);
    int at = 1 + random.nextInt(Math.max(1, p.length() - 1));
    switch (random.nextInt(7)) {
      case 0 -> p.replace(at, at + 1, String.format(chance(2) ? "%%%02X" : "%%%02x", (int) p.charAt(Math.min(at, p.length() - 1))));
      case 1 -> p.insert(at, pick(BAD_ENCODINGS));
      case 2 -> p.insert(at, pick(ODD_CHARS));
      case 3 -> p.append('/').append("a".repeat(chance(3) ? 5000 : random.nextInt(3000)));
      case 4 -> p.append(chance(2) ? "/" : "//");
      case 5 -> p.replace(0, p.length(), p.toString().toUpperCase());
      default -> p.insert(0, chance(2) ? "/" : "http://" + host);
    }
    return p.toString();
  }

  private String query(String template) {
    if (!template.equals("/v1/events") && !chance(8)) return "";
    List<String> params = new ArrayList<>();
    for (String name : new String[] {"after", "limit", "job", "tail"}) {
      if (chance(2)) continue;
      String v = chance(3) ? pick(BAD_ENCODINGS) : chance(2) ? pick(NUMBERS) : Integer.toString(random.nextInt(2000) - 2);
      params.add(name + "=" + v);
    }
    if (chance(10)) params.add(pick(BAD_ENCODINGS) + "=" + pick(BAD_ENCODINGS));
    return params.isEmpty() ? (chance(2) ? "?" : "") : "?" + String.join("&", params);
  }

  /** A start that could run (true, as nobody), with one to three of its fields made wrong in most. */
  private Map<String, String> startBody() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("argv", "[\"true\"]");
    f.put("cwd", Json.encode(cwd));
    f.put("uid", "65534");
    f.put("gid", "65534");
    if (chance(2)) f.put("env", "{\"PATH\":\"/usr/bin:/bin\",\"LANG\":\"C\"}");
    if (chance(3)) f.put("user", "\"nobody\"");
    if (chance(4)) f.put("node", Json.encode(pick(new String[] {"n1", "n2", "n3"})));
    if (chance(8)) f.put("expose", "[{\"port\":" + (1 + random.nextInt(65535)) + "}]");
    if (chance(10)) return f;
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      String field = pick(new String[] {"argv", "cwd", "uid", "gid", "env", "user", "node", "expose", "interactive", "tty", "unknown"});
      switch (field) {
        case "argv" -> f.put("argv", pick(new String[] {"\"true\"", "[]", "[1]", "[null]", "[\"tr\\u0000ue\"]", "[[\"true\"]]", "{}",
            "[\"" + "a".repeat(140_000) + "\"]", wrongValue()}));
        case "cwd" -> f.put("cwd", pick(new String[] {"\"tmp\"", "\"\"", "\"/nonexistent/dir\"", "\"/" + "d".repeat(5000) + "\"", "\"/\\u0000\"",
            wrongValue()}));
        case "uid", "gid" -> f.put(field, pick(NOT_IDS));
        case "env" -> f.put("env", pick(new String[] {"5", "\"PATH=/bin\"", "[]", "{\"A\":1}", "{\"\":\"x\"}", "{\"A=B\":\"x\"}",
            "{\"A\":\"\\u0000\"}", "{\"A\":null}", "{\"A\":\"" + "v".repeat(140_000) + "\"}", wrongValue()}));
        case "user" -> f.put("user", pick(new String[] {"\"" + "u".repeat(300) + "\"", "\"a\\nb\"", "\"\"", wrongValue()}));
        case "node" -> f.put("node", pick(new String[] {"\"n42\"", "\"N1\"", "\"\"", "\"n1; rm -rf /\"", wrongValue()}));
        case "expose" -> f.put("expose", pick(new String[] {"5", "\"80\"", "[80]", "[{\"port\":0}]", "[{\"port\":65536}]",
            "[{\"port\":4294974296}]", "[{\"port\":80,\"public\":1}]", "[{\"port\":80},{\"port\":80}]", "[{\"port\":80,\"public\":4294987296}]",
            "[{\"port\":\"80\"}]", "[{\"port\":1.5}]", "[{\"port\":80,\"publik\":20000}]", "[{}]", wrongValue()}));
        case "interactive" -> f.put("interactive", chance(2) ? "\"yes\"" : wrongValue());
        case "tty" -> f.put("tty", pick(new String[] {"{\"rows\":24,\"cols\":80}", "{\"rows\":0,\"cols\":80}", "{\"rows\":1e309,\"cols\":1}",
            "\"24x80\"", "{\"rows\":4294967320,\"cols\":80}", wrongValue()}));
        default -> f.put(pick(new String[] {"argvv", "uidd", "", "\u00e9", "x".repeat(1000)}), wrongValue());
      }
    }
    return f;
  }

  private Map<String, String> migrateBody() {
    Map<String, String> f = new LinkedHashMap<>();
    if (chance(2)) f.put("to", Json.encode(pick(new String[] {"n1", "n2", "n3", "n42"})));
    if (chance(4)) f.put("fault", pick(new String[] {"\"restore-fails\"", "\"nonsense\"", "\"\"", wrongValue()}));
    if (chance(2)) f.put(chance(2) ? "to" : "too", wrongValue());
    return f;
  }

  private Map<String, String> exposeBody() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("port", chance(3) ? "8080" : pick(NUMBERS));
    if (chance(2)) f.put("public", chance(3) ? "20000" : pick(NUMBERS));
    if (chance(3)) f.put(pick(new String[] {"port", "public", "publik"}), wrongValue());
    return f;
  }

  private Map<String, String> balanceBody() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put(chance(5) ? "enable" : "enabled", chance(3) ? "false" : wrongValue());
    return f;
  }

  private Map<String, String> junkFields() {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) f.put(pick(new String[] {"a", "argv", "port", "enabled", "to"}), wrongValue());
    return f;
  }

  /** A JSON value of a type or size no field takes (never true: see balanceBody). */
  private String wrongValue() {
    return switch (random.nextInt(12)) {
      case 0 -> pick(NUMBERS);
      case 1 -> "\"" + "x".repeat(random.nextInt(100_000)) + "\"";
      case 2 -> "null";
      case 3 -> "false";
      case 4 -> "[]";
      case 5 -> "{}";
      case 6 -> "[" + pick(NUMBERS) + ",\"a\",null]";
      case 7 -> "{\"a\":{\"b\":[" + pick(NUMBERS) + "]}}";
      case 8 -> "[".repeat(2000) + "]".repeat(2000);
      case 9 -> "\"\\ud800\"";
      case 10 -> "\"" + pick(BAD_ENCODINGS) + "\"";
      default -> "\"\\u0000\"";
    };
  }

  /** The fields as a JSON object's text, sometimes broken: truncated, not UTF-8, oversized, not an object, or not JSON at all. */
  private byte[] body(Map<String, String> fields) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(Json.encode(k)).append(':').append(v));
    json.append('}');
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    if (!chance(3)) return text;
    return switch (random.nextInt(9)) {
      case 0 -> java.util.Arrays.copyOf(text, random.nextInt(text.length));
      case 1 -> {
        byte[] bad = text.clone();
        int at = random.nextInt(bad.length);
        bad[at] = (byte) pick(new int[] {0xC3, 0xFF, 0x80, 0xED, 0xF8});
        yield bad;
      }
      case 2 -> {
        String pad = "x".repeat((1 << 20) + random.nextInt(300_000));
        yield ("{\"pad\":\"" + pad + "\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
      }
      case 3 -> ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
      case 4 -> pick(new String[] {"null", "5", "\"str\"", "true", "", " ", "{", "}"}).getBytes(StandardCharsets.UTF_8);
      case 5 -> ("--fuzz\r\nContent-Disposition: form-data; name=\"argv\"; filename=\"f\"\r\n\r\n" + "z".repeat(random.nextInt(200_000))
          + "\r\n--fuzz--\r\n").getBytes(StandardCharsets.UTF_8);
      case 6 -> ("argv=true&uid=" + pick(BAD_ENCODINGS) + "&x=" + "y".repeat(random.nextInt(100_000))).getBytes(StandardCharsets.UTF_8);
      case 7 -> {
        byte[] noise = new byte[random.nextInt(5000)];
        random.nextBytes(noise);
        yield noise;
      }
      default -> (json.toString() + json).getBytes(StandardCharsets.UTF_8);
    };
  }

  private boolean chance(int oneIn) { return random.nextInt(oneIn) == 0; }

  private <T> T pick(List<T> items) { return items.get(random.nextInt(items.size())); }

  private String pick(String[] items) { return items[random.nextInt(items.length)]; }

  private int pick(int[] items) { return items[random.nextInt(items.length)]; }
}
