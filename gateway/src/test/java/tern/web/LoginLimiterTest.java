package tern.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoginLimiterTest {
  @Test
  void fiveWrongTokensWithinFiveMinutesMakeTheAddressWaitUntilTheFirstIsOld() {
    LoginLimiter l = new LoginLimiter();
    for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
      assertEquals(0, l.waitMillis("10.0.0.9", 1_000 + i * 1_000L), "attempt " + (i + 1) + " may be made");
      l.failed("10.0.0.9", 1_000 + i * 1_000L);
    }
    assertEquals(LoginLimiter.WINDOW_MS - 4_000, l.waitMillis("10.0.0.9", 5_000));
    assertEquals(0, l.waitMillis("10.0.0.8", 5_000), "another address is not held up");
    assertEquals(0, l.waitMillis("10.0.0.9", 1_000 + LoginLimiter.WINDOW_MS), "the first failure is out of the window");
  }

  @Test
  void aRightTokenClearsTheAddressFailures() {
    LoginLimiter l = new LoginLimiter();
    for (int i = 0; i < LoginLimiter.MAX_FAILURES - 1; i++) l.failed("a", i);
    l.succeeded("a");
    l.failed("a", 10);
    assertEquals(0, l.waitMillis("a", 11));
  }
}
