package tern.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Kills every job a test started, also when the test failed, so that the tests after it find the lab as
 * it was: the jobs the gateway lists after the test that it did not list before it, and that have not
 * ended. A job started in {@code @BeforeAll} goes after the class. Registered after {@link Lab}, so the
 * lab is up before the first count, and it runs after the test's own {@code @AfterEach} (which may first
 * bring a gateway back).
 */
public final class KillStartedJobs implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KillStartedJobs.class);
  private static final Set<String> ENDED = Set.of("exited", "killed", "failed");
  /** A test may leave a hundred jobs; each kill is a client's start and a wait for the job to go. */
  private static final int KILLS_AT_ONCE = 6;

  @Override public void beforeAll(ExtensionContext context) {
    remember(context);
  }

  @Override public void beforeEach(ExtensionContext context) {
    remember(context);
  }

  @Override public void afterEach(ExtensionContext context) throws Exception {
    killStartedSince(context);
  }

  @Override public void afterAll(ExtensionContext context) throws Exception {
    killStartedSince(context);
  }

  private static void remember(ExtensionContext context) {
    context.getStore(NAMESPACE).put("before", Set.copyOf(Lab.jobs().keySet()));
  }

  private static void killStartedSince(ExtensionContext context) throws Exception {
    @SuppressWarnings("unchecked")
    Set<String> before = context.getStore(NAMESPACE).get("before", Set.class);
    List<String> started = Lab.jobs().values().stream()
        .filter(j -> !before.contains(j.getString("id")) && !ENDED.contains(j.getString("state")))
        .map(j -> j.getString("id")).toList();
    if (started.isEmpty()) return;
    ExecutorService pool = Executors.newFixedThreadPool(KILLS_AT_ONCE);
    try {
      List<Future<Lab.Result>> kills = new ArrayList<>();
      for (String id : started) kills.add(pool.submit(() -> Lab.tern(List.of("kill", id), 120)));
      Map<String, String> refused = new TreeMap<>();
      for (int i = 0; i < started.size(); i++) {
        Lab.Result r = kills.get(i).get(300, TimeUnit.SECONDS);
        if (r.exit() != 0) refused.put(started.get(i), (r.stderr() + r.stdout()).trim());
      }
      if (refused.isEmpty()) return;
      // a job may have ended by itself since it was listed (an interactive job ends with its client)
      Map<String, JsonObject> now = Lab.jobs();
      refused.keySet().removeIf(id -> now.containsKey(id) && ENDED.contains(now.get(id).getString("state")));
      // a kill that is pending (its node is away) is not this test's failure; the next test should know
      if (!refused.isEmpty()) System.err.println("KillStartedJobs: after " + context.getDisplayName() + ", not killed: " + refused);
    } finally {
      pool.shutdownNow();
    }
  }
}
