package tern.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeriodicTest {
  @Test void aRoundThatThrowsAnErrorIsLoggedAndTheNextRoundStillRuns() throws Exception {
    Logger log = Logger.getLogger("tern.test.periodic");
    log.setUseParentHandlers(false);
    List<LogRecord> logged = new ArrayList<>();
    Handler keep = new Handler() {
      @Override public synchronized void publish(LogRecord r) { logged.add(r); }
      @Override public void flush() { }
      @Override public void close() { }
    };
    log.addHandler(keep);
    AtomicInteger rounds = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(3);
    ScheduledExecutorService loop = Periodic.start("periodic-test", 0, 10, TimeUnit.MILLISECONDS, log, "a test round", () -> {
      int n = rounds.incrementAndGet();
      third.countDown();
      if (n == 1) throw new NoSuchMethodError("tern.policy.JobSample.cpuShare()");
      if (n == 2) throw new IllegalStateException("no samples yet");
    });
    try {
      assertTrue(third.await(10, TimeUnit.SECONDS), "rounds after the failures ran: " + rounds.get());
    } finally {
      loop.shutdownNow();
      log.removeHandler(keep);
    }
    synchronized (keep) {
      assertEquals(Level.SEVERE, logged.get(0).getLevel());
      assertTrue(logged.get(0).getMessage().contains("a test round failed (java.lang.NoSuchMethodError"), logged.get(0).getMessage());
      assertEquals(Level.WARNING, logged.get(1).getLevel());
      assertEquals("a test round failed: no samples yet", logged.get(1).getMessage());
    }
  }
}
