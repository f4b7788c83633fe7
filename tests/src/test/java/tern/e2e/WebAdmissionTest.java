package tern.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tern.e2e.Lab.waitUntil;

/**
 * A PC switched on for the first time, accepted from the admin page in a real browser (issue 11): the
 * page, open before the PC asks, shows it waiting with its MAC address as soon as the push stream
 * carries it; a name another MAC address holds, typed in the Accept dialog, is refused with the
 * gateway's message and changes nothing; the name it is accepted under shows as an up node, on the
 * page and in {@code tern nodes}.
 */
@ExtendWith(Lab.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAdmissionTest {
  /** A pending PC reaches the page by the stream's once-a-second delta, never by polling. */
  private static final long SHOWN_WITHIN_MS = 2_000;
  private static String url;
  private static String token;
  private static Browser page;
  private static NewPc pc;

  @BeforeAll
  static void openThePageThenSwitchOnANewPc() throws Exception {
    url = PageClient.lab().getString("url");
    token = PageClient.adminToken();
    page = Browser.signedIn(url, token, Browser.Size.DESKTOP);
    // when each row of a waiting PC first appears, by the browser's clock (the gateway's host's)
    page.script("window.ternRowSeenAt = {}; new MutationObserver(() => document.querySelectorAll('[data-testid^=\"pending-\"]')"
        + ".forEach(r => { if (!(r.dataset.testid in ternRowSeenAt)) ternRowSeenAt[r.dataset.testid] = Date.now(); }))"
        + ".observe(document.body, {childList: true, subtree: true}); window.ternNoReload = 'still here';");
    pc = NewPc.switchOn();
  }

  @AfterAll
  static void switchItOff() {
    if (page != null) page.close();
    if (pc != null) pc.switchOff();
  }

  @Test
  @Order(1)
  void aNewPcIsShownWaitingWithItsMacWithinTwoSecondsOfItsFirstRequestWithoutPolling() throws Exception {
    WebElement row = page.await(Duration.ofSeconds(90), d -> page.has("pending-" + pc.mac()) ? page.byTestId("pending-" + pc.mac()) : null,
        "the new PC (MAC " + pc.mac() + ") waiting on the overview");
    String text = row.getText();
    assertTrue(text.contains(pc.mac()) && text.contains(pc.lanIp()), "the row names its MAC and LAN address: " + text);
    long firstSeen = bookEntry().getLong("firstSeen");
    long shownAt = ((Number) page.script("return ternRowSeenAt[arguments[0]]", "pending-" + pc.mac())).longValue();
    System.out.println("WebAdmissionTest: the page showed MAC " + pc.mac() + " " + (shownAt - firstSeen) + " ms after its first request");
    assertTrue(shownAt - firstSeen <= SHOWN_WITHIN_MS,
        "shown " + (shownAt - firstSeen) + " ms after the gateway first saw it (at most " + SHOWN_WITHIN_MS + ")");
    assertEquals(0L, page.script("return performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/admissions')).length"),
        "the page asked /v1/admissions: waiting PCs come with the push stream");
    assertEquals("still here", page.script("return window.ternNoReload"), "the page was reloaded");
    page.screenshot("overview-pending-pc");
  }

  @Test
  @Order(2)
  void aNameAnotherMacHoldsTypedInTheAcceptDialogShowsTheGatewaysMessageNamingBothAndChangesNothing() throws Exception {
    String n1Mac = Lab.tern("nodes", "-o", "json").ok().jsonArray().stream().map(JsonObject.class::cast)
        .filter(n -> "n1".equals(n.getString("name"))).findFirst().orElseThrow().getString("mac");
    accept("n1");
    String refusal = page.await(Duration.ofSeconds(10), d -> notice("false", "accept " + pc.mac()), "the refused acceptance's notice");
    assertTrue(refusal.contains(pc.mac()) && refusal.contains(n1Mac), "the gateway's message names both MACs: " + refusal);
    assertEquals("pending", bookEntry().getString("state"), "the book after a refused acceptance");
    assertEquals("pending", Lab.nodeWithMac(pc.mac()).getString("state"), "tern nodes after a refused acceptance");
    assertEquals("up", Lab.nodeWithMac(n1Mac).getString("state"), "n1 after another MAC was refused its name");
    assertTrue(page.has("pending-" + pc.mac()), "the PC still waits on the page");
  }

  @Test
  @Order(3)
  void acceptedFromTheDialogItShowsUpOnThePageAndInTernNodes() throws Exception {
    accept(pc.name());
    page.await(Duration.ofSeconds(10), d -> notice("true", "accept " + pc.mac()), "the acceptance's notice");
    page.await(Duration.ofSeconds(120), d -> page.has("node-state-" + pc.name()) && "up".equals(page.byTestId("node-state-" + pc.name()).getText()),
        pc.name() + " up on the page");
    assertFalse(page.has("pending-" + pc.mac()), "an accepted PC no longer waits on the page");
    waitUntil(() -> "up".equals(Lab.nodeWithMac(pc.mac()).getString("state")), 30, () -> "tern nodes: " + Lab.nodeWithMac(pc.mac()));
    assertEquals(pc.name(), Lab.nodeWithMac(pc.mac()).getString("name"), "tern nodes lists it under the name given in the dialog");
  }

  /** Opens the Accept dialog of the new PC, types a name and confirms. */
  private static void accept(String as) {
    page.byTestId("accept-" + pc.mac()).click();
    WebElement dialog = page.await(Duration.ofSeconds(5), d -> page.has("accept-dialog") ? page.byTestId("accept-dialog") : null,
        "the Accept dialog");
    assertTrue(dialog.getText().contains(pc.mac()), "the dialog names the MAC: " + dialog.getText());
    page.byTestId("accept-name").sendKeys(as);
    page.byTestId("confirm").click();
  }

  /** The text of the first notice with that outcome (data-ok) that starts so, or null while there is none. */
  private static String notice(String ok, String start) {
    for (WebElement n : page.allByTestId("notice")) {
      String text = n.findElement(By.cssSelector("[data-testid='notice-text']")).getText();
      if (ok.equals(n.getAttribute("data-ok")) && text.startsWith(start)) return text;
    }
    return null;
  }

  /** The new PC's entry in the gateway's admission book (GET /v1/admissions, as the client asks it). */
  private static JsonObject bookEntry() throws Exception {
    HttpResponse<String> r = PageClient.HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/admissions"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonArray(r.body()).stream().map(JsonObject.class::cast).filter(e -> pc.mac().equals(e.getString("mac"))).findFirst()
        .orElseThrow(() -> new AssertionError("MAC " + pc.mac() + " is not in the admission book: " + r.body()));
  }
}
