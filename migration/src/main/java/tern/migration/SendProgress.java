package tern.migration;

import com.hazelcast.map.IMap;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A donor's image bytes sent so far, into the cluster's map for the gateway (the page shows a migration
 * in flight with them): at most a few writes a second, whatever the frame rate; gone a minute after.
 */
final class SendProgress {
  static final long EVERY_MS = 250;
  private static final int TTL_SECONDS = 60;
  private volatile IMap<String, String> map;

  /** Where to write, once the node is a cluster member (until then nothing is written). */
  void writeTo(IMap<String, String> progress) { this.map = progress; }

  /** What the image sender calls for one migration. */
  LongConsumer of(String migrationId) {
    return new LongConsumer() {
      private long lastAt;

      @Override public void accept(long bytes) {
        long now = System.nanoTime();
        IMap<String, String> m = map;
        if (m == null || lastAt != 0 && now - lastAt < EVERY_MS * 1_000_000) return;
        lastAt = now;
        // asynchronous: the stream does not wait for the cluster
        m.setAsync(migrationId, Long.toString(bytes), TTL_SECONDS, TimeUnit.SECONDS);
      }
    };
  }
}
