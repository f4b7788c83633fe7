package tern.cluster;

/** Names shared by the gateway and the migrators: event bus addresses and Hazelcast maps. */
public final class ClusterNames {
  private ClusterNames() { }

  /** Jobs by id (JSON text); written by the gateway only. */
  public static final String JOBS = "tern.jobs";
  /** Latest load sample of each job (JSON text), written by the node that hosts it. */
  public static final String JOB_LOAD = "tern.job-load";
  /** Latest load sample of each node (JSON text), written by that node. */
  public static final String NODE_LOAD = "tern.node-load";
  /** Migration records by id (JSON text): the outcome a recovering donor asks for. */
  public static final String MIGRATIONS = "tern.migrations";
  /** VIP leases: address to job id. */
  public static final String VIPS = "tern.vips";
  /** Every node that was ever a member, by name (JSON text: lanIp, cpuCapacity, link): a node that left is "down". */
  public static final String NODES_SEEN = "tern.nodes-seen";
  /** Image bytes a donor has sent so far, by migration id (a number as text; written while it streams, a few times a second). */
  public static final String MIGRATION_PROGRESS = "tern.migration-progress";
  /** Nodes being drained: name to {"by": "admin"|"shutdown", "at": millis}. */
  public static final String DRAINING = "tern.draining";
  /** Each program's past lifetimes (JSON array of seconds), by program name: what the balancer learned. */
  public static final String LIFETIMES = "tern.lifetimes";
  /** Cluster settings, e.g. "balance" -> "on"|"off". */
  public static final String SETTINGS = "tern.settings";
  /** The balancer's decisions and what came of them (a ring buffer of JSON text). */
  public static final String EVENTS = "tern.events";
  /** Who did what through the API and the page, from where (a ring buffer of JSON text). */
  public static final String AUDIT = "tern.audit";
  /** Cluster-wide counters for job and migration ids. */
  public static final String JOB_IDS = "tern.job-ids";
  public static final String MIGRATION_IDS = "tern.migration-ids";

  /** Commands to a node's migrator. */
  public static String nodeAddress(String node) { return "tern.node." + node; }

  /** What migrators report to the gateway (a job ended, a donor recovered a job). */
  public static final String GATEWAY_EVENTS = "tern.gateway.events";
}
