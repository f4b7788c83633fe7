package tern.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tern.web.Guard.Verdict.FORBIDDEN;
import static tern.web.Guard.Verdict.REDIRECT_TO_LOGIN;
import static tern.web.Guard.Verdict.SESSION;
import static tern.web.Guard.Verdict.TOKEN;
import static tern.web.Guard.Verdict.UNAUTHORIZED;

class GuardTest {
  static final Guard.Shown NOTHING = new Guard.Shown(false, false, false);
  static final Guard.Shown THE_TOKEN = new Guard.Shown(true, false, false);
  static final Guard.Shown A_COOKIE = new Guard.Shown(false, true, false);
  static final Guard.Shown COOKIE_AND_CSRF = new Guard.Shown(false, true, true);

  @Test
  void eachPathHasItsGuard() {
    assertEquals(Guard.PUBLIC, Guard.of("/login"));
    assertEquals(Guard.PUBLIC, Guard.of("/ui/login"));
    assertEquals(Guard.PUBLIC, Guard.of("/assets/app.js"));
    assertEquals(Guard.PAGE, Guard.of("/"));
    assertEquals(Guard.SESSION, Guard.of("/ui/stream"));
    assertEquals(Guard.SESSION, Guard.of("/ui/logout"));
    assertEquals(Guard.TOKEN, Guard.of("/metrics"));
    assertEquals(Guard.TOKEN_OR_SESSION, Guard.of("/v1/jobs"));
    assertEquals(Guard.TOKEN_OR_SESSION, Guard.of("/nothing/here"), "an unknown path asks for credentials before it says 404");
    assertEquals(Guard.TOKEN_OR_SESSION, Guard.of("/loginx"));
    assertEquals(Guard.TOKEN_OR_SESSION, Guard.of("/assets"));
  }

  @Test
  void theApiTakesTheTokenForAnythingAndACookieForReadingOnly() {
    assertEquals(TOKEN, Guard.TOKEN_OR_SESSION.judge("POST", THE_TOKEN), "the client is unchanged: no anti-forgery token");
    assertEquals(SESSION, Guard.TOKEN_OR_SESSION.judge("GET", A_COOKIE));
    assertEquals(SESSION, Guard.TOKEN_OR_SESSION.judge("HEAD", A_COOKIE));
    for (String m : new String[] {"POST", "DELETE", "PUT", "PATCH", "OPTIONS", "post"}) {
      assertEquals(FORBIDDEN, Guard.TOKEN_OR_SESSION.judge(m, A_COOKIE), m + " with a cookie but no anti-forgery token");
      assertEquals(SESSION, Guard.TOKEN_OR_SESSION.judge(m, COOKIE_AND_CSRF), m);
    }
    assertEquals(UNAUTHORIZED, Guard.TOKEN_OR_SESSION.judge("GET", NOTHING));
    assertEquals(UNAUTHORIZED, Guard.TOKEN_OR_SESSION.judge("POST", NOTHING), "no credentials at all is 401, not 403");
  }

  @Test
  void metricsTakeTheTokenOnly() {
    assertEquals(TOKEN, Guard.TOKEN.judge("GET", THE_TOKEN));
    assertEquals(UNAUTHORIZED, Guard.TOKEN.judge("GET", COOKIE_AND_CSRF));
  }

  @Test
  void thePageRedirectsToTheLoginWithoutASessionAndItsEndpointsRefuse() {
    assertEquals(REDIRECT_TO_LOGIN, Guard.PAGE.judge("GET", NOTHING));
    assertEquals(REDIRECT_TO_LOGIN, Guard.PAGE.judge("GET", THE_TOKEN), "the page is for a browser's session");
    assertEquals(SESSION, Guard.PAGE.judge("GET", A_COOKIE));
    assertEquals(UNAUTHORIZED, Guard.SESSION.judge("GET", THE_TOKEN));
    assertEquals(SESSION, Guard.SESSION.judge("GET", A_COOKIE));
    assertEquals(FORBIDDEN, Guard.SESSION.judge("POST", A_COOKIE), "a logout from another site changes nothing");
    assertEquals(SESSION, Guard.SESSION.judge("POST", COOKIE_AND_CSRF));
  }
}
