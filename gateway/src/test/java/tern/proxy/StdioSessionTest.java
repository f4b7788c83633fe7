package tern.proxy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only a job's own connections join its session: its token, from its VIP, told apart from a guess in constant time. */
class StdioSessionTest {
  private static final String VIP = "10.79.0.5";
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  private static StdioSession session(String jobToken, String clientToken) {
    return new StdioSession("j1", VIP, jobToken, clientToken, () -> { });
  }

  @Test
  void jobsOwnTokenFromItsVipIsAccepted() {
    assertTrue(session(TOKEN, "c").acceptsJob(TOKEN, VIP));
  }

  @Test
  void wrongTokenOfTheSameLengthIsRefused() {
    String guess = TOKEN.substring(0, TOKEN.length() - 1) + "0";
    assertFalse(session(TOKEN, "c").acceptsJob(guess, VIP));
    assertFalse(session("c", TOKEN).acceptsClient(guess));
  }

  @Test
  void jobsOwnTokenFromAnotherAddressIsRefused() {
    assertFalse(session(TOKEN, "c").acceptsJob(TOKEN, "10.79.0.6"));
  }

  /**
   * A comparison that stops at the first differing byte tells an attacker how much of a guess is
   * right. With a token of 1 MiB the difference between "wrong at the first byte" and "wrong at the
   * last" is a factor of thousands for such a comparison and none for a constant-time one.
   */
  @Test
  void tokensAreComparedInTheSameTimeWhereverTheyDiffer() {
    char[] big = new char[1 << 20];
    Arrays.fill(big, 'a');
    String token = new String(big);
    big[0] = 'b';
    String wrongFirst = new String(big);
    big[0] = 'a';
    big[big.length - 1] = 'b';
    String wrongLast = new String(big);

    StdioSession job = session(token, "c");
    assertComparedInConstantTime("job token", () -> job.acceptsJob(wrongFirst, VIP), () -> job.acceptsJob(wrongLast, VIP));
    StdioSession client = session("c", token);
    assertComparedInConstantTime("client token", () -> client.acceptsClient(wrongFirst), () -> client.acceptsClient(wrongLast));
  }

  private static void assertComparedInConstantTime(String what, BooleanSupplier wrongFirst, BooleanSupplier wrongLast) {
    int rounds = 41;
    long[] first = new long[rounds], last = new long[rounds];
    for (int i = 0; i < rounds; i++) {  // interleaved, so that a pause of the machine hits both alike
      first[i] = nanos(wrongFirst);
      last[i] = nanos(wrongLast);
    }
    long medianFirst = median(first), medianLast = median(last);
    assertTrue(medianLast < 4 * medianFirst, what + ": a guess wrong at the last byte took " + medianLast
        + " ns, one wrong at the first " + medianFirst + " ns (the comparison stops early)");
  }

  private static long nanos(BooleanSupplier comparison) {
    long t0 = System.nanoTime();
    assertFalse(comparison.getAsBoolean());
    return System.nanoTime() - t0;
  }

  private static long median(long[] xs) {
    long[] sorted = xs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
