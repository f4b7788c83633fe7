package tern.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tern.e2e.Browser;
import tern.e2e.KillStartedJobs;
import tern.e2e.Lab;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin page's cost (issue 10): its weight (bytes transferred on a first load with an empty cache,
 * and on a reload) and the time to the overview's first render with the lab's nodes on it, in Debian's
 * headless chromium; then, with 150 running jobs on the three nodes, the bytes per second the gateway
 * pushes to one open page, and the gateway's CPU with ten pages' streams open against none. Not a test:
 * prints a table and writes tests/bench/out/web.md. Targets: first load under 300 KB, the stream under
 * 20 KB/s, ten pages under 5 % of one CPU.
 */
@Tag("bench")
@ExtendWith({Lab.class, KillStartedJobs.class})
class WebPageBench {
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final int LOADS = 5, JOBS = 150, PAGES = 10;
  private static final long WINDOW_MS = 60_000, SETTLE_MS = 15_000;
  private static final double CLOCK_TICKS = 100.0;
  /** Everything the page fetched, as the browser counts it (headers and compressed bodies), and when the overview first showed. */
  private static final String WEIGHT = """
      const nav = performance.getEntriesByType('navigation')[0];
      const all = [nav].concat(performance.getEntriesByType('resource'));
      return [all.reduce((s, e) => s + (e.transferSize || 0), 0), all.length];
      """;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pageWeightFirstRenderAndPushCost() throws Exception {
    JsonObject client = new JsonObject(Files.readString(Path.of("/run/tern/lab/client.json")));
    String url = client.getString("url");
    String token = Files.readString(Path.of(client.getString("tokenFile"))).trim();
    long gateway = Lab.status().getJsonObject("gateway").getLong("pid");

    long[] first = new long[LOADS], reload = new long[LOADS], render = new long[LOADS];
    int files = 0;
    for (int i = 0; i < LOADS; i++) {
      try (Browser b = new Browser(url, Browser.Size.DESKTOP)) {
        // the session is made outside the page, so that what is measured is the overview's load alone,
        // from an empty cache: the cookie needs a page of the gateway's open, one that loads nothing else
        b.open("/ui/session");
        b.driver.manage().addCookie(new org.openqa.selenium.Cookie.Builder("tern_session", login(url, token)).path("/").build());
        b.script("performance.clearResourceTimings()");
        long t0 = System.nanoTime();
        b.open("/#/overview");
        b.await(java.time.Duration.ofSeconds(10), d -> NODES.stream().allMatch(n -> b.has("node-" + n)) ? true : null,
            "the overview shows the lab's nodes");
        render[i] = (long) ((Number) b.script("return performance.now()")).doubleValue();
        List<?> w = (List<?>) b.script(WEIGHT);
        first[i] = ((Number) w.get(0)).longValue();
        files = ((Number) w.get(1)).intValue();
        b.driver.navigate().refresh();
        b.await(java.time.Duration.ofSeconds(10), d -> NODES.stream().allMatch(n -> b.has("node-" + n)) ? true : null,
            "the overview after a reload");
        reload[i] = ((Number) ((List<?>) b.script(WEIGHT)).get(0)).longValue();
        System.out.printf("web bench: load %d: %d bytes (%d files), reload %d bytes, overview after %d ms (%d ms wall)%n",
            i + 1, first[i], files, reload[i], render[i], (System.nanoTime() - t0) / 1_000_000);
      }
    }

    List<String> jobs = new ArrayList<>();
    Path dir = Lab.workDir("web-bench");
    // each job wakes ten times a second: its CPU and memory figures move, as a busy cluster's do
    for (int i = 0; i < JOBS; i++) {
      jobs.add(Lab.start(dir, NODES.get(i % NODES.size()), "/bin/sh", "-c", "while sleep 0.1; do :; done"));
    }
    Thread.sleep(SETTLE_MS);
    double idleCpu = cpuShare(gateway, WINDOW_MS);
    Stream one = Stream.open(http, url, login(url, token));
    Thread.sleep(2_000);
    long snapshot = one.bytes.get();
    long t0 = System.nanoTime();
    Thread.sleep(WINDOW_MS);
    double perSecond = (one.bytes.get() - snapshot) / ((System.nanoTime() - t0) / 1e9);
    List<Stream> pages = new ArrayList<>();
    pages.add(one);
    for (int i = 1; i < PAGES; i++) pages.add(Stream.open(http, url, login(url, token)));
    Thread.sleep(5_000);
    double tenCpu = cpuShare(gateway, WINDOW_MS);
    for (Stream s : pages) s.close();
    double noneAgain = cpuShare(gateway, WINDOW_MS);

    String table = String.format("""
        | measure | value | target |
        | --- | --- | --- |
        | first load (empty cache), median of %d | %.1f KB in %d files | < 300 KB: %s |
        | reload, median | %.1f KB | |
        | overview's first render (nodes shown), median | %d ms | |
        | the stream's snapshot with %d jobs | %.1f KB | |
        | pushed to one page, %d jobs, %d s | %.2f KB/s | < 20 KB/s: %s |
        | gateway CPU, no page open (before, after) | %.2f %%, %.2f %% of one CPU | |
        | gateway CPU, %d pages open | %.2f %% of one CPU | |
        | what %d pages cost | %.2f %% of one CPU | < 5 %%: %s |
        """, LOADS, median(first) / 1000.0, files, median(first) < 300_000 ? "met" : "MISSED", median(reload) / 1000.0, median(render),
        JOBS, snapshot / 1000.0, JOBS, WINDOW_MS / 1000, perSecond / 1000, perSecond < 20_000 ? "met" : "MISSED",
        idleCpu * 100, noneAgain * 100, PAGES, tenCpu * 100, PAGES, (tenCpu - (idleCpu + noneAgain) / 2) * 100,
        tenCpu - (idleCpu + noneAgain) / 2 < 0.05 ? "met" : "MISSED");
    System.out.println(table);
    Path out = Lab.ROOT.resolve("tests/bench/out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("web.md"), table);
    for (String id : jobs) Lab.tern("kill", id);
  }

  /** Signs in as the page does and returns the session cookie's value. */
  private String login(String url, String token) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ui/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", token).encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError("sign-in refused: " + r.statusCode() + " " + r.body());
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no session cookie"));
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  /** The gateway's CPU time over a window, as a share of one CPU. */
  private static double cpuShare(long pid, long windowMs) throws Exception {
    long before = cpuTicks(pid), t0 = System.nanoTime();
    Thread.sleep(windowMs);
    return (cpuTicks(pid) - before) / CLOCK_TICKS / ((System.nanoTime() - t0) / 1e9);
  }

  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** One page's push stream, read to nowhere on a thread of its own, its bytes counted. */
  private static final class Stream implements AutoCloseable {
    final AtomicLong bytes = new AtomicLong();
    private final InputStream in;

    private Stream(InputStream in) {
      this.in = in;
      Thread t = new Thread(this::drain, "web-bench-stream");
      t.setDaemon(true);
      t.start();
    }

    static Stream open(HttpClient http, String url, String session) throws Exception {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ui/stream"))
          .header("Cookie", "tern_session=" + session).header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) throw new AssertionError("/ui/stream answered " + r.statusCode());
      return new Stream(r.body());
    }

    private void drain() {
      byte[] buf = new byte[16384];
      try {
        for (int n; (n = in.read(buf)) > 0; ) bytes.addAndGet(n);
      } catch (java.io.IOException e) {
        // closed by close()
      }
    }

    @Override public void close() throws Exception { in.close(); }
  }
}
