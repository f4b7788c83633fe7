package tern.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import tern.gateway.GatewayOperations;
import tern.request.RequestError;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET /v1/jobs/:id/output?tail=N[&follow=true]: the last N lines of a job's output file (the gateway
 * shares the filesystem with the nodes), then, when following, what the job writes until it ends. A
 * follower reads a few times a second, only what its client has taken (a client that does not read
 * holds no more than one chunk in the gateway).
 */
final class JobOutput {
  static final int DEFAULT_LINES = 100;
  static final int MAX_LINES = 10_000;
  /**
   * The most a tail reaches back, whatever the lines: a job's output is the job's to shape, and lines of
   * a gigabyte (or none at all) must neither fill the gateway's heap nor make it read the whole file.
   */
  static final long MAX_TAIL_BYTES = 1 << 20;
  private static final long POLL_MS = 250;
  private static final int CHUNK = 64 * 1024;
  /** Followers at most at once: each holds a timer and reads a file. */
  private static final int MAX_FOLLOWERS = 200;
  private final Vertx vertx;
  private final GatewayOperations gateway;
  private final AtomicInteger followers = new AtomicInteger();

  JobOutput(Vertx vertx, GatewayOperations gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  void handle(RoutingContext ctx) {
    ApiRequest r = new ApiRequest(ctx);
    String id;
    int lines;
    boolean follow;
    try {
      id = r.jobId();
      lines = (int) r.query("tail", 0, MAX_LINES, DEFAULT_LINES);
      String f = ctx.queryParam("follow").stream().findFirst().orElse("false");
      if (!f.equals("true") && !f.equals("false")) {
        throw new RequestError(400, "'follow' must be true or false, got " + tern.json.JsonFields.quote(f));
      }
      follow = f.equals("true");
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    vertx.executeBlocking(() -> {
      JsonObject job = jobOrNotFound(id);
      Path file = Path.of(job.getString("output"));
      long size = sizeOf(file);
      long start = tailStart(file, lines, size);
      return new Start(file, start, size, read(file, start, (int) Math.min(size - start, Integer.MAX_VALUE - 8)));
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Start s = ar.result();
      HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
      if (!follow) {
        response.end(Buffer.buffer(s.bytes()));
        return;
      }
      if (followers.incrementAndGet() > MAX_FOLLOWERS) {
        followers.decrementAndGet();
        ctx.fail(new RequestError(429, "too many outputs followed at once (" + MAX_FOLLOWERS + "); try again later"));
        return;
      }
      response.setChunked(true).putHeader("X-Content-Type-Options", "nosniff");
      response.write(Buffer.buffer(s.bytes()));
      new Follower(id, s.file(), s.size(), response).poll();
    });
  }

  private record Start(Path file, long start, long size, byte[] bytes) { }

  private JsonObject jobOrNotFound(String id) {
    try {
      return gateway.job(id);
    } catch (RequestError e) {
      if (e.status() == 404) throw new RequestError(404, "unknown job " + id);
      throw e;
    }
  }

  /** One client following one job's output: polls the file, writes what is new, ends once the job has ended and all is sent. */
  private final class Follower {
    private final String id;
    private final Path file;
    private final HttpServerResponse response;
    private long offset;
    private boolean closed;

    Follower(String id, Path file, long offset, HttpServerResponse response) {
      this.id = id;
      this.file = file;
      this.offset = offset;
      this.response = response;
      response.closeHandler(v -> stop());
    }

    void poll() {
      if (closed) return;
      if (response.writeQueueFull()) {
        vertx.setTimer(POLL_MS, t -> poll());
        return;
      }
      vertx.executeBlocking(() -> {
        // the job's state first: what it wrote before it ended is then surely in the file
        boolean ended = gateway.job(id).containsKey("endedAt");
        long size = sizeOf(file);
        byte[] fresh = size > offset ? read(file, offset, (int) Math.min(size - offset, CHUNK)) : new byte[0];
        return new Object[] {ended && offset + fresh.length >= size, fresh};
      }, false).onComplete(ar -> {
        if (closed) return;
        if (ar.failed()) {
          response.end();
          stop();
          return;
        }
        byte[] fresh = (byte[]) ar.result()[1];
        offset += fresh.length;
        if (fresh.length > 0) response.write(Buffer.buffer(fresh));
        if ((Boolean) ar.result()[0]) {
          response.end();
          stop();
        } else {
          vertx.setTimer(fresh.length == CHUNK ? 1 : POLL_MS, t -> poll());
        }
      });
    }

    private void stop() {
      if (closed) return;
      closed = true;
      followers.decrementAndGet();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;  // nothing written yet
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job's output " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, long from, int length) {
    if (length <= 0) return new byte[0];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(from);
      byte[] b = new byte[length];
      int n = f.read(b);
      return n == length ? b : java.util.Arrays.copyOf(b, Math.max(0, n));
    } catch (java.io.FileNotFoundException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job's output " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the last {@code lines} lines of the file's first {@code size} bytes begin (a last line without
   * its newline counts), at most {@link #MAX_TAIL_BYTES} before the end.
   */
  static long tailStart(Path file, int lines, long size) {
    if (lines == 0 || size == 0) return size;
    long floor = Math.max(0, size - MAX_TAIL_BYTES);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] block = new byte[8192];
      long end = size;
      int newlines = 0;
      while (end > floor) {
        int n = (int) Math.min(block.length, end - floor);
        f.seek(end - n);
        f.readFully(block, 0, n);
        for (int i = n - 1; i >= 0; i--) {
          // the file's final newline ends the last line; it does not start one
          if (block[i] != '\n' || end - n + i == size - 1) continue;
          if (++newlines == lines) return end - n + i + 1;
        }
        end -= n;
      }
      return floor;
    } catch (IOException e) {
      return 0;
    }
  }
}
