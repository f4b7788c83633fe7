package tern.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmitterTest {
  @Test
  void aUsersIdsComeFromTheAccountDatabase() {
    assertEquals(new Submitter(0, 0), Submitter.account("root"));
    Submitter nobody = Submitter.account("nobody");
    assertTrue(nobody.uid() > 0, "nobody is not root: " + nobody);
  }

  @Test
  void anUnknownUserIsAUsageError() {
    CliError e = assertThrows(CliError.class, () -> Submitter.account("no-such-user-here"));
    assertEquals(2, e.exitCode);
    assertTrue(e.getMessage().startsWith("unknown user 'no-such-user-here'"), e.getMessage());
  }

  @Test
  void aNamedUserIsTakenAsGivenEvenForRoot() {
    assertEquals(Submitter.account("nobody"), Submitter.find("nobody"));
  }
}
