package tern.e2e;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A process on the cluster LAN that joins Hazelcast (the open-source edition cannot stop it) but
 * does not hold the cluster secret, and asks a migrator to kill a job: once unsigned, once signed
 * with a wrong secret. Prints one line per attempt: the failure code the migrator answered.
 * Run inside the gateway's namespace by {@link SecurityTest}.
 */
public final class Intruder {
  public static void main(String[] args) {
    String bindIp = args[0], seed = args[1], node = args[2], jobId = args[3];
    ClusterMember member = ClusterMember.join(bindIp, List.of(seed), Map.of(ClusterMember.ATTR_ROLE, "intruder"));
    JsonObject kill = new JsonObject().put("op", "kill").put("jobId", jobId);
    ClusterSecret wrong = new ClusterSecret("not-the-cluster-secret-at-all".getBytes(StandardCharsets.UTF_8));
    for (JsonObject attempt : List.of(kill.copy().put("issuedAt", System.currentTimeMillis()), wrong.sign(kill))) {
      try {
        member.vertx().eventBus().request(ClusterNames.nodeAddress(node), attempt, new DeliveryOptions().setSendTimeout(20_000))
            .toCompletionStage().toCompletableFuture().join();
        System.out.println("ACCEPTED");
      } catch (Exception e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        System.out.println(c instanceof ReplyException r ? "REFUSED " + r.failureCode() + " " + r.getMessage() : "ERROR " + c);
      }
    }
    member.leave();
    System.exit(0);
  }
}
