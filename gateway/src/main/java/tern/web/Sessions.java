package tern.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's sign-ins, in the gateway's memory: a restarted gateway asks for the token again. A
 * session lives a fixed time from its login (not from its last use: a page left open all week signs in
 * again); its id goes in the cookie, its anti-forgery token only in what the page's script reads.
 */
public final class Sessions {
  public static final String COOKIE = "tern_session";
  public static final String CSRF_HEADER = "X-Tern-CSRF";
  /** Sessions at most: logins beyond it end the oldest, so that many logins cannot fill the memory. */
  private static final int MAX_SESSIONS = 1_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final long lifetimeMs;
  private final Map<String, Session> byId = new ConcurrentHashMap<>();

  public record Session(String id, String csrf, long expiresAt, String from) {
    /** Whether the header carries this session's anti-forgery token (compared in constant time). */
    public boolean csrfMatches(String header) {
      return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
    }
  }

  public Sessions(long lifetimeMs) { this.lifetimeMs = lifetimeMs; }

  public Session open(String from, long now) {
    sweep(now);
    if (byId.size() >= MAX_SESSIONS) {
      byId.values().stream().min(java.util.Comparator.comparingLong(Session::expiresAt)).ifPresent(s -> byId.remove(s.id()));
    }
    Session s = new Session(randomToken(), randomToken(), now + lifetimeMs, from);
    byId.put(s.id(), s);
    return s;
  }

  /** The live session the cookie names, if any. */
  public Optional<Session> find(String cookie, long now) {
    if (cookie == null) return Optional.empty();
    Session s = byId.get(cookie);
    if (s == null) return Optional.empty();
    if (s.expiresAt() <= now) {
      byId.remove(s.id());
      return Optional.empty();
    }
    return Optional.of(s);
  }

  public void close(String id) { byId.remove(id); }

  /** Whether the session is still open (a push stream asks every second, and ends when not). */
  public boolean live(String id, long now) { return find(id, now).isPresent(); }

  private void sweep(long now) { byId.values().removeIf(s -> s.expiresAt() <= now); }

  private static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
