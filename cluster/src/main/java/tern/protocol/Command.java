package tern.protocol;


/**
 * What the gateway asks of a node's migrator, each command a type whose reply is its type parameter.
 * The gateway sends them through its node client, signed with the cluster secret; the migrator checks
 * the proof, decodes the command ({@link Protocol}) and carries it out by its type.
 */
public sealed interface Command<R extends Reply> {

  /** Start a job in a new capsule holding its VIP. */
  record Start(JobSpec job, String vip) implements Command<Reply.Started> { }

  /** End a job and everything in its capsule (also one that arrived by a migration not yet resumed). */
  record Kill(String jobId) implements Command<Reply.Killed> { }

  /** A signal from the user (Ctrl-C on an interactive client) for the job's process group. */
  record Signal(String jobId, int signal) implements Command<Reply.Signalled> { }

  /** What the node holds, for the gateway to reconcile its records with. */
  record Jobs() implements Command<Reply.HeldJobs> { }

  /**
   * One step of migration {@code migrationId} of {@code jobId}. {@code fault} (lab only) names a failure
   * to inject; a migrator not started with --allow-fault-injection refuses a step that asks for one.
   */
  sealed interface MigrationStep<R extends Reply> extends Command<R> {
    String jobId();

    String migrationId();

    String fault();
  }

  /** To the donor: describe the job, or refuse to move it (it holds a local device). */
  record Announce(String jobId, String migrationId, String fault) implements MigrationStep<Reply.JobDescription> { }

  /** To the acceptor: an empty capsule with the job's VIP, and a port for its images; or a refusal. */
  record Prepare(String jobId, String migrationId, String fault, Reply.JobDescription job) implements MigrationStep<Reply.ImagePort> { }

  /** To the donor: freeze and dump the job, and stream its images to the acceptor's port. */
  record Dump(String jobId, String migrationId, String fault, String acceptorIp, int acceptorPort)
      implements MigrationStep<Reply.Dumped> {
    public Dump(String jobId, String migrationId, String fault, Reply.ImagePort to) {
      this(jobId, migrationId, fault, to.acceptorIp(), to.acceptorPort());
    }
  }

  /** To the acceptor: restore the received images, the job stopped. */
  record Restore(String jobId, String migrationId, String fault) implements MigrationStep<Reply.Restored> { }

  /** To the acceptor, after the commit: let the restored job run. */
  record Resume(String jobId, String migrationId, String fault) implements MigrationStep<Reply.Running> { }

  /** To the donor, after the commit: drop the images and the old capsule. */
  record Discard(String jobId, String migrationId, String fault) implements MigrationStep<Reply.Discarded> { }

  /** To the donor, when the acceptor could not take the job: restore it here from the kept images. */
  record Rollback(String jobId, String migrationId, String fault) implements MigrationStep<Reply.Running> { }

  /** To the acceptor, when the migration failed: nothing of the job may stay. */
  record Abort(String jobId, String migrationId, String fault) implements MigrationStep<Reply.Aborted> { }
}
