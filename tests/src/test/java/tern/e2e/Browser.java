package tern.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver: both paths given, so that Selenium
 * Manager never looks for (or downloads) a driver or a browser; a fresh profile each time, deleted at the end.
 */
public final class Browser implements AutoCloseable {
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** Where Selenium Manager would keep what it downloads: a browser test must leave it as it was. */
  static final Path SELENIUM_CACHE = Path.of(System.getProperty("user.home"), ".cache", "selenium");
  static final Path SCREENSHOTS = Lab.ROOT.resolve("tests/target/screenshots");

  /** A size the page must be usable at: a small laptop's screen, and a phone's (emulated: touch, no window frame). */
  public record Size(String name, int width, int height, boolean mobile) {
    public static final Size DESKTOP = new Size("desktop", 1280, 800, false);
    static final Size PHONE = new Size("phone", 390, 844, true);
    static final List<Size> BOTH = List.of(DESKTOP, PHONE);

    String label() { return name + "-" + width + "x" + height; }
  }

  public final ChromeDriver driver;
  final String base;
  final Size size;
  private final Path profile;
  private final List<String> cacheBefore;

  public Browser(String base, Size size) {
    this.base = base;
    this.size = size;
    this.cacheBefore = listing(SELENIUM_CACHE);
    try {
      this.profile = Files.createTempDirectory("tern-chromium-");
    } catch (IOException e) {
      throw new AssertionError("cannot make a browser profile directory: " + e.getMessage(), e);
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--window-size=" + size.width + "," + size.height);
    if (size.mobile) {
      // a desktop window is never narrower than about 500 px: a phone's viewport is emulated
      options.setExperimentalOption("mobileEmulation",
          Map.of("deviceMetrics", Map.of("width", size.width, "height", size.height, "pixelRatio", 1.0, "touch", true)));
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    if (!size.mobile) {
      // the window's size includes what the browser draws around the page: the page itself gets the size asked for
      Dimension window = driver.manage().window().getSize();
      long innerWidth = (Long) script("return window.innerWidth"), innerHeight = (Long) script("return window.innerHeight");
      driver.manage().window().setSize(new Dimension(window.width + size.width - (int) innerWidth, window.height + size.height - (int) innerHeight));
    }
  }

  /** A browser signed in to the lab's gateway with the admin token, on the overview with node n1 shown. */
  static Browser signedIn(String url, String token, Size size) {
    Browser b = new Browser(url, size);
    try {
      b.login(token);
      b.await(java.time.Duration.ofSeconds(5), d -> b.has("node-n1"), "the overview after sign-in");
      return b;
    } catch (RuntimeException | AssertionError e) {
      b.close();
      throw e;
    }
  }

  public void open(String path) { driver.get(base + path); }

  /** Moves to another view of the page without reloading it. */
  void go(String hash) { script("location.hash = arguments[0]", hash); }

  public Object script(String js, Object... args) { return ((JavascriptExecutor) driver).executeScript(js, args); }

  WebElement byTestId(String id) { return driver.findElement(By.cssSelector("[data-testid='" + id + "']")); }

  List<WebElement> allByTestId(String id) { return driver.findElements(By.cssSelector("[data-testid='" + id + "']")); }

  public boolean has(String testId) { return !allByTestId(testId).isEmpty(); }

  /** Waits for a condition of the page, looking every 50 ms; the message is made when the wait fails. */
  public <T> T await(Duration within, Function<ChromeDriver, T> condition, String what) {
    return new WebDriverWait(driver, within, Duration.ofMillis(50)).withMessage(() -> what + " (at " + driver.getCurrentUrl() + ")")
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> condition.apply((ChromeDriver) d));
  }

  /** Fills in and sends the sign-in form; what comes of it is for the caller to wait for. */
  void login(String token) {
    open("/login");
    WebElement field = byTestId("login-token");
    field.sendKeys(token);
    byTestId("login-submit").click();
  }

  Cookie sessionCookie() { return driver.manage().getCookieNamed("tern_session"); }

  /** The viewport as it is now, to tests/target/screenshots/NAME-SIZE.png. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Path to = SCREENSHOTS.resolve(name + "-" + size.label() + ".png");
      Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return to;
    } catch (IOException e) {
      throw new AssertionError("cannot write the screenshot " + name + ": " + e.getMessage(), e);
    }
  }

  @Override public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
    List<String> after = listing(SELENIUM_CACHE);
    if (!after.equals(cacheBefore)) {
      throw new AssertionError("Selenium Manager fetched something into " + SELENIUM_CACHE + ": " + after + " (before: " + cacheBefore + ")");
    }
  }

  private static List<String> listing(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(Path::toString).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Browser: could not delete the profile " + dir + ": " + e.getMessage());
    }
  }
}
