package tern.util;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A task run again and again on a daemon thread of its own, that a failure does not stop. A scheduled
 * executor cancels a task for good, silently, the first time it throws: a balancer whose round once met
 * a class from a stale jar (a NoSuchMethodError) gave no verdict ever after, and said nothing. Here each
 * failure is logged with what failed, an Error as SEVERE, and the next round comes as planned.
 */
public final class Periodic {
  private Periodic() { }

  /** Runs task every period after the first delay; shutdownNow on the answer stops it. */
  public static ScheduledExecutorService start(String thread, long firstDelay, long period, TimeUnit unit, Logger log, String what,
      Runnable task) {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, thread);
      t.setDaemon(true);
      return t;
    });
    loop.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.log(Level.WARNING, what + " failed: " + Util.rootMessage(e), e);
      } catch (Error e) {
        log.log(Level.SEVERE, what + " failed (" + e + "); the next round runs as planned", e);
      }
    }, firstDelay, period, unit);
    return loop;
  }
}
