package tern.migration;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import tern.cluster.ClusterMember;
import tern.cluster.ClusterNames;
import tern.cluster.ClusterSecret;
import tern.cluster.CpuFeatures;
import tern.os.CommandFailedException;
import tern.os.CpuInfo;
import tern.protocol.Command;
import tern.protocol.Event;
import tern.protocol.Protocol;
import tern.protocol.Reply;
import tern.util.Periodic;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The migrator of one node: joins the cluster, takes authenticated commands from the gateway on the
 * node's event bus address, and carries them out (start, kill, and both halves of a migration).
 */
public final class MigratorMain {
  static {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
  }
  private static final Logger LOG = Logger.getLogger("tern.migrator");
  /**
   * Commands run on Vert.x's worker threads. A node carries out a few at a time (starts, kills, its
   * halves of one or two migrations); Vert.x's default of 20 threads would each keep some 100 KiB of
   * stack resident on a node that may have 256 MB in all.
   */
  private static final int COMMAND_THREADS = 8;

  private final LocalNode node;
  private final Faults faults;
  private final JobControl control;
  private final Donor donor;
  private final Acceptor acceptor;

  private MigratorMain(LocalNode node) {
    this.node = node;
    this.faults = new Faults(node.cfg.faultInjection());
    this.donor = new Donor(node, faults);
    this.acceptor = new Acceptor(node, faults);
    this.control = new JobControl(node, acceptor);
  }

  public static void main(String[] args) {
    NodeConfig cfg = NodeConfig.parse(args);
    // an enrolling node learns its name and the cluster secret from the gateway before anything else
    if (cfg.enroll() != null) cfg = cfg.named(Enroller.enroll(cfg));
    LocalNode node = new LocalNode(cfg, ClusterSecret.fromFile(cfg.secretFile()));
    new MigratorMain(node).run();
  }

  /** A node that does not forward cuts its jobs off: they run, but nothing reaches them and they reach nothing. */
  private static void warnIfNotForwarding() {
    try {
      if (java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward")).trim().equals("0")) {
        LOG.severe("net.ipv4.ip_forward is 0 on this node: its jobs can reach nothing beyond it and nothing can reach them"
            + " (the node root sets it in /etc/sysctl.d/50-tern-node.conf)");
      }
    } catch (java.io.IOException e) {
      LOG.warning("cannot read net.ipv4.ip_forward: " + e.getMessage());
    }
  }

  private void run() {
    NodeConfig cfg = node.cfg;
    CpuFeatures cpu = reportedCpu(cfg);
    LOG.info("migrator " + cfg.node() + " starting on " + cfg.lanIp() + " (" + cfg.cpu() + " CPU, " + cfg.link() + "; " + cpu.model()
        + (cfg.cpuFeaturesWithheld().isEmpty() ? "" : ", not reporting " + String.join(", ", cfg.cpuFeaturesWithheld())) + ")");
    warnIfNotForwarding();
    Recovery recovery;
    ClusterMember.awaitSeed(cfg.gatewayIp(), LOG::info);
    ClusterMember member = ClusterMember.join(cfg.lanIp(), List.of(cfg.gatewayIp()), Map.of(
        ClusterMember.ATTR_ROLE, "node", ClusterMember.ATTR_NODE, cfg.node(), ClusterMember.ATTR_MAC, Enroller.macOf(cfg.lanIp()).text(),
        "tern.lanIp", cfg.lanIp(), "tern.cpu", Double.toString(cfg.cpu()), "tern.link", cfg.link(),
        ClusterMember.ATTR_CPU_FEATURES, cpu.toJson().encode()), COMMAND_THREADS);
    Vertx vertx = member.vertx();
    var hz = member.hazelcast();
    recovery = new Recovery(node, donor, control, hz.getMap(ClusterNames.MIGRATIONS));
    donor.progress.writeTo(hz.getMap(ClusterNames.MIGRATION_PROGRESS));
    recovery.loadJobs();
    node.onEvent(new GatewayOutbox(vertx, node.secret)::publish);
    vertx.eventBus().<JsonObject>consumer(ClusterNames.nodeAddress(cfg.node()), this::handle)
        .completion().toCompletionStage().toCompletableFuture().join();
    LOG.info("migrator " + cfg.node() + " joined the cluster as member " + hz.getCluster().getLocalMember().getUuid());
    recovery.settle();
    // the gateway brings its records of this node's jobs in line with what the node holds
    node.publish(new Event.NodeUp(cfg.node()));

    LoadSampler load = new LoadSampler(node, control, hz.getMap(ClusterNames.JOB_LOAD), hz.getMap(ClusterNames.NODE_LOAD),
        hz.getCluster().getLocalMember().getUuid().toString());
    ScheduledExecutorService sampler = Periodic.start("load-sampler", 0, 1, TimeUnit.SECONDS, LOG, "sampling", load);
    NodeShutdown.install(node, vertx);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("migrator " + cfg.node() + " stopping; its jobs keep running");
      sampler.shutdownNow();
      member.leave();
    }));
  }

  /** What the node tells the cluster its CPU lets jobs run: the CPU's features, less those withheld. */
  private static CpuFeatures reportedCpu(NodeConfig cfg) {
    try {
      return CpuInfo.local().without(cfg.cpuFeaturesWithheld());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cpu-features-without: " + e.getMessage(), e);
    }
  }

  private void handle(Message<JsonObject> msg) {
    Command<?> cmd;
    try {
      cmd = Protocol.command(node.secret.verify(msg.body()));
      faults.check(cmd);
    } catch (SecurityException e) {
      LOG.warning("refused a command without valid cluster proof: " + e.getMessage());
      msg.fail(403, "refused: " + e.getMessage());
      return;
    } catch (Refusal e) {
      msg.fail(e.status(), e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      msg.fail(400, e.getMessage());
      return;
    }
    String op = Protocol.nameOf(cmd);
    final Command<?> command = cmd;
    Vertx.currentContext().owner().executeBlocking(() -> carryOut(command), false).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(Protocol.encode(ar.result()));
      } else {
        Throwable e = ar.cause();
        int status = e instanceof Refusal r ? r.status() : e instanceof IllegalArgumentException ? 400 : 500;
        if (status >= 500) LOG.log(Level.WARNING, op + " failed: " + e.getMessage(), e instanceof CommandFailedException ? null : e);
        else LOG.info(op + " refused: " + e.getMessage());
        msg.fail(status, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    });
  }

  /** Each command to the half of the migrator that carries it out (a switch on types is Java 21's). */
  private Reply carryOut(Command<?> cmd) {
    if (cmd instanceof Command.Start c) return control.start(c);
    if (cmd instanceof Command.Kill c) return control.kill(c);
    if (cmd instanceof Command.Jobs) return control.jobs();
    if (cmd instanceof Command.Signal c) return control.signal(c);
    if (cmd instanceof Command.Announce c) return donor.announce(c);
    if (cmd instanceof Command.Dump c) return donor.dump(c);
    if (cmd instanceof Command.Discard c) return donor.discard(c);
    if (cmd instanceof Command.Rollback c) return donor.rollback(c);
    if (cmd instanceof Command.Prepare c) return acceptor.prepare(c);
    if (cmd instanceof Command.Restore c) return acceptor.restore(c);
    if (cmd instanceof Command.Resume c) return acceptor.resume(c);
    if (cmd instanceof Command.Abort c) return acceptor.abort(c);
    throw new Refusal(400, "no handler for command '" + Protocol.nameOf(cmd) + "' on this node");
  }
}
