package tern.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many wrong admin tokens an address may try: {@link #MAX_FAILURES} within {@link #WINDOW_MS}, then
 * it waits until the oldest of them is out of the window. Pure (the time comes in); thread-safe.
 */
public final class LoginLimiter {
  public static final int MAX_FAILURES = 5;
  public static final long WINDOW_MS = 5 * 60_000;
  /** Addresses remembered at most: a flood from many addresses forgets the oldest, not the gateway's memory. */
  private static final int MAX_ADDRESSES = 10_000;
  private final Map<String, Deque<Long>> failures = new LinkedHashMap<>();

  /** Milliseconds the address must wait before it may try again; 0: it may try now. */
  public synchronized long waitMillis(String address, long now) {
    Deque<Long> times = recent(address, now);
    return times == null || times.size() < MAX_FAILURES ? 0 : times.peekFirst() + WINDOW_MS - now;
  }

  public synchronized void failed(String address, long now) {
    Deque<Long> times = recent(address, now);
    if (times == null) {
      if (failures.size() >= MAX_ADDRESSES) {
        Iterator<String> oldest = failures.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      times = new ArrayDeque<>();
      failures.put(address, times);
    }
    times.addLast(now);
  }

  public synchronized void succeeded(String address) { failures.remove(address); }

  private Deque<Long> recent(String address, long now) {
    Deque<Long> times = failures.get(address);
    if (times == null) return null;
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) times.removeFirst();
    if (times.isEmpty()) {
      failures.remove(address);
      return null;
    }
    return times;
  }
}
