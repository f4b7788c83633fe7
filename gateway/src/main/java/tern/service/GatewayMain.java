package tern.service;

import tern.api.ApiServer;
import tern.api.EnrollServer;
import tern.cluster.ClusterSecret;
import tern.gateway.GatewayConfig;
import tern.gateway.GatewayCore;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The gateway service's start: its options and secrets, then the gateway's core with the API opened on
 * it. The layers, top down: this start-up, the API ({@code tern.api}), the core ({@code tern.gateway}),
 * the proxy ({@code tern.proxy}).
 */
public final class GatewayMain {
  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
  }

  private GatewayMain() { }

  public static void main(String[] args) throws IOException {
    GatewayConfig cfg = GatewayConfig.parse(args);
    ClusterSecret secret = ClusterSecret.fromFile(cfg.secretFile());
    String token = Files.readString(cfg.adminTokenFile()).trim();
    if (token.length() < 16) throw new IllegalArgumentException("admin token in " + cfg.adminTokenFile() + " is shorter than 16 characters");
    GatewayCore.run(cfg, secret, (vertx, operations, admissions) -> {
      new ApiServer(vertx, operations, admissions, token, cfg.pageUid(), cfg.pageGid()).listen("0.0.0.0", cfg.apiPort())
          .toCompletionStage().toCompletableFuture().join();
      // PCs on the LAN ask for the cluster secret here: the LAN address only, never the outside one
      new EnrollServer(vertx, admissions).listen(cfg.lanIp(), cfg.enrollPort())
          .toCompletionStage().toCompletableFuture().join();
    });
  }
}
