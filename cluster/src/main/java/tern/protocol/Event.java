package tern.protocol;

/**
 * What a node's migrator tells the gateway, each event a type. Sent signed, at least once and in order
 * (the gateway handles each idempotently), to {@link tern.cluster.ClusterNames#GATEWAY_EVENTS}.
 */
public sealed interface Event {
  /** The node the event is about (and comes from). */
  String node();

  /** The job's processes are gone from the node; exitCode is null when nobody saw its status. */
  record JobEnded(String node, String jobId, Integer exitCode) implements Event { }

  /** After a migration that did not commit, the donor restored the job and it runs there again. */
  record JobResumed(String node, String jobId, String migrationId) implements Event { }

  /** The migrator (re)joined: the gateway brings its records of the node's jobs in line with what the node holds. */
  record NodeUp(String node) implements Event { }

  /** The migrator got SIGTERM: drain the node before it stops. */
  record NodeDraining(String node) implements Event { }
}
