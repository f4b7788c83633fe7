package tern.gateway;

import org.junit.jupiter.api.Test;
import tern.admission.MacAddress;
import tern.request.RequestError;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionBookTest {
  private static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
  private static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
  private final AdmissionBook book = new AdmissionBook();

  @Test
  void aPcSeenForTheFirstTimeIsPendingWithWhenAndWhere() {
    AdmissionBook.Entry e = book.seen(A, "10.78.0.100", 1000);
    assertEquals(AdmissionBook.State.PENDING, e.state());
    assertEquals("10.78.0.100", e.lanIp());
    AdmissionBook.Entry again = book.seen(A, "10.78.0.101", 5000);
    assertEquals(1000, again.firstSeen());
    assertEquals(5000, again.lastSeen());
    assertEquals("10.78.0.101", again.lanIp());
  }

  @Test
  void anAcceptedPcGetsTheNameItsAddressMakesOrTheOneGiven() {
    assertEquals("n00000a", book.accept(A, null, Map.of(), 1).name());
    assertEquals("lab4", book.accept(B, "lab4", Map.of(), 1).name());
    // accepted again without a name: it keeps the one it has
    assertEquals("lab4", book.accept(B, null, Map.of(), 2).name());
  }

  @Test
  void aNameAnotherMacHoldsInTheBookIsRefusedNamingBothMacs() {
    book.accept(A, "lab4", Map.of(), 1);
    RequestError e = assertThrows(RequestError.class, () -> book.accept(B, "lab4", Map.of(), 2));
    assertEquals(409, e.status());
    assertTrue(e.getMessage().contains(A.text()) && e.getMessage().contains(B.text()), e.getMessage());
    assertEquals(AdmissionBook.State.ACCEPTED, book.find(A).orElseThrow().state());
    assertTrue(book.find(B).isEmpty(), "a refused acceptance changes nothing");
  }

  @Test
  void aNameALiveMemberOfAnotherMacHoldsIsRefusedNamingBothMacs() {
    RequestError e = assertThrows(RequestError.class, () -> book.accept(B, "n1", Map.of("n1", A), 1));
    assertTrue(e.getMessage().contains(A.text()) && e.getMessage().contains(B.text()), e.getMessage());
    // the member of the same MAC (the PC itself, running) is no clash
    assertEquals("n1", book.accept(A, "n1", Map.of("n1", A), 1).name());
  }

  @Test
  void aNameThatIsNoNodeNameIsRefused() {
    RequestError e = assertThrows(RequestError.class, () -> book.accept(A, "Node-1", Map.of(), 1));
    assertEquals(400, e.status());
  }

  @Test
  void aForgottenPcIsGoneAndForgettingAnUnknownOneSaysSo() {
    book.accept(A, null, Map.of(), 1);
    book.forget(A);
    assertTrue(book.find(A).isEmpty());
    assertEquals(404, assertThrows(RequestError.class, () -> book.forget(A)).status());
  }

  @Test
  void theBookReadsBackAsItWasWritten() {
    book.seen(A, "10.78.0.100", 1000);
    book.accept(B, "lab4", Map.of(), 2000);
    AdmissionBook read = AdmissionBook.fromJson(book.toJson());
    assertEquals(book.entries(), read.entries());
  }

  @Test
  void pendingPcsAreCappedOldestFirstAndAcceptedOnesNeverDropped() {
    book.accept(A, null, Map.of(), 0);
    for (int i = 0; i <= AdmissionBook.MAX_PENDING; i++) {
      book.seen(MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i / 256, i % 256)), "10.78.0.1", 10 + i);
    }
    assertEquals(AdmissionBook.MAX_PENDING + 1, book.entries().size());
    assertFalse(book.find(MacAddress.parse("02:00:00:00:00:00")).isPresent(), "the oldest pending one goes");
    assertTrue(book.find(A).isPresent());
  }
}
