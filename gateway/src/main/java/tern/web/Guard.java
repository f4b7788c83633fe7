package tern.web;

import java.util.Locale;

/**
 * Who may ask what, by path: the one table of the gateway's doors. Pure: the request's path, method
 * and what it showed (the admin token, a live session, the anti-forgery header) in; a verdict out.
 */
public enum Guard {
  /** The login page, the page's files and the login itself: no secrets in them. */
  PUBLIC,
  /** The admin page: a session, else a redirect to the login page (a browser follows it). */
  PAGE,
  /** The page's own endpoints (/ui/**): a session only. */
  SESSION,
  /** The API (/v1/**, and any other path, so that an unknown one says 401 before 404): the token or a session. */
  TOKEN_OR_SESSION,
  /** /metrics: scrapers hold the token; a browser has no business there. */
  TOKEN;

  /** What a request showed. */
  public record Shown(boolean token, boolean session, boolean csrf) { }

  public enum Verdict { TOKEN, SESSION, REDIRECT_TO_LOGIN, UNAUTHORIZED, FORBIDDEN }

  public static Guard of(String path) {
    if (path.equals("/login") || path.equals("/ui/login") || path.startsWith("/assets/")) return PUBLIC;
    if (path.equals("/")) return PAGE;
    if (path.startsWith("/ui/")) return SESSION;
    if (path.equals("/metrics")) return TOKEN;
    return TOKEN_OR_SESSION;
  }

  /**
   * The verdict on a request. A session proves only that the browser holds the cookie, which it sends
   * with any site's request too: whatever can change something needs the anti-forgery token as well,
   * which only the page's own script can read.
   */
  public Verdict judge(String method, Shown shown) {
    boolean safe = isSafe(method);
    switch (this) {
      case PUBLIC:
        return shown.token ? Verdict.TOKEN : shown.session ? Verdict.SESSION : Verdict.UNAUTHORIZED;
      case TOKEN:
        return shown.token ? Verdict.TOKEN : Verdict.UNAUTHORIZED;
      case PAGE:
        return shown.session ? Verdict.SESSION : Verdict.REDIRECT_TO_LOGIN;
      case SESSION:
        if (!shown.session) return Verdict.UNAUTHORIZED;
        return safe || shown.csrf ? Verdict.SESSION : Verdict.FORBIDDEN;
      default:
        if (shown.token) return Verdict.TOKEN;
        if (!shown.session) return Verdict.UNAUTHORIZED;
        return safe || shown.csrf ? Verdict.SESSION : Verdict.FORBIDDEN;
    }
  }

  /** GET and HEAD change nothing; everything else may. */
  public static boolean isSafe(String method) {
    String m = method.toUpperCase(Locale.ROOT);
    return m.equals("GET") || m.equals("HEAD");
  }
}
