package tern.gateway;

import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Reads a cluster ring buffer of JSON text the way the API pages through it: after a sequence number. */
final class RingReader {
  private RingReader() { }

  /** Entries after sequence number {@code after} (-1: the last {@code limit}), each with its "seq". */
  static List<JsonObject> since(Ringbuffer<String> ring, long after, int limit) {
    long head = ring.headSequence(), tail = ring.tailSequence();
    long from = after < 0 ? Math.max(head, tail - limit + 1) : Math.max(head, after + 1);
    List<JsonObject> entries = new ArrayList<>();
    if (from > tail || limit <= 0) return entries;
    // one read for the lot (a readOne per entry would be a round trip each)
    ReadResultSet<String> read = ring.readManyAsync(from, 0, (int) Math.min(limit, tail - from + 1), null)
        .toCompletableFuture().join();
    for (int i = 0; i < read.size(); i++) entries.add(new JsonObject(read.get(i)).put("seq", read.getSequence(i)));
    return entries;
  }
}
