package tern.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The admin page's files, from the classpath (web-ui's jar and the libraries' jars): read once, kept
 * with their ETag and a gzipped copy. Each answer says no-cache, so a browser asks again every time
 * but gets a 304 with no body while the file is the same. A file answer carries the page's security
 * headers; see {@link #secure}.
 */
public final class PageFiles {
  static final String ROOT = "tern/web/";
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  /** A path under /assets/: plain names, no dot first (so no "..", no hidden file), at most a few levels. */
  private static final Pattern ASSET = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]{0,99}/){0,4}[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
      Map.entry("json", "application/json"), Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("woff2", "font/woff2"), Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"));
  private final Map<String, File> files = new ConcurrentHashMap<>();

  /** One file as it is served. gzip: null when compressing does not pay (an image, a tiny file). */
  record File(byte[] bytes, byte[] gzip, String type, String etag) { }

  /** The security headers of every page answer: no inline script, no framing, no sniffing, no referrer. */
  public static HttpServerResponse secure(HttpServerResponse response) {
    return response.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }

  /** Serves the page file at classpath tern/web/{name}. */
  public void page(RoutingContext ctx, String name) { serve(ctx, ROOT + name); }

  /** Serves GET /assets/{rest}: a library, or a file of web-ui's assets/; anything else is 404. */
  public void asset(RoutingContext ctx) {
    String path = ctx.request().path();
    // the route /assets/* matches /assets too
    String rest = path.startsWith("/assets/") ? path.substring("/assets/".length()) : "";
    if (rest.startsWith("lib/") && Libraries.FILES.containsKey(rest.substring(4))) {
      serve(ctx, Libraries.FILES.get(rest.substring(4)));
    } else if (ASSET.matcher(rest).matches()) {
      serve(ctx, ROOT + "assets/" + rest);
    } else {
      notFound(ctx);
    }
  }

  private void serve(RoutingContext ctx, String resource) {
    // only files that exist are kept: asking for a thousand missing names must not fill the memory
    Optional<File> found = Optional.ofNullable(files.get(resource)).or(() -> load(resource));
    found.ifPresent(f -> files.putIfAbsent(resource, f));
    if (found.isEmpty()) {
      notFound(ctx);
      return;
    }
    File f = found.get();
    HttpServerResponse response = secure(ctx.response()).putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, f.etag()).putHeader(HttpHeaders.VARY, "Accept-Encoding");
    if (f.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    String accepted = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
    boolean gzip = f.gzip() != null && accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip");
    response.putHeader(HttpHeaders.CONTENT_TYPE, f.type());
    if (gzip) response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
    response.end(io.vertx.core.buffer.Buffer.buffer(gzip ? f.gzip() : f.bytes()));
  }

  private static void notFound(RoutingContext ctx) {
    secure(ctx.response()).setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "no such file: " + shortPath(ctx)).encodePrettily());
  }

  private static String shortPath(RoutingContext ctx) {
    String p = ctx.request().path();
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }

  static Optional<File> load(String resource) {
    try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      String type = TYPES.getOrDefault(ext, "application/octet-stream");
      byte[] gzip = type.startsWith("text/") || type.contains("json") || type.contains("svg") ? gzip(bytes) : null;
      if (gzip != null && gzip.length >= bytes.length * 0.9) gzip = null;
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
      return Optional.of(new File(bytes, gzip, type, etag));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the page's file " + resource + " from the classpath", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }
}
