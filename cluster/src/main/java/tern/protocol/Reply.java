package tern.protocol;


import java.util.List;

/** What a migrator answers to each {@link Command}: the command's type parameter names which. */
public sealed interface Reply {

  record Started(long initPid, String node) implements Reply { }

  record Killed(String killed) implements Reply { }

  record Signalled(String signalled, int signal) implements Reply { }

  /** The node's jobs, and those restored here by a migration not yet resumed. */
  record HeldJobs(List<String> jobs, List<String> incoming) implements Reply { }

  /**
   * What moving a job means: its VIP and owner, the memory to move, and its spec. The cluster's history
   * keeps it with the migration, so that a recovering acceptor can take the job up.
   */
  record JobDescription(String jobId, String vip, long uid, int processes, long anonBytes, long rssBytes, JobSpec job,
                        long startedAt) implements Reply { }

  /** Where the acceptor takes the job's images. */
  record ImagePort(String acceptorIp, int acceptorPort) implements Reply { }

  /** The freeze, the dump and the stream of the images, as the donor measured them. */
  record Dumped(long frozenAt, long dumpMs, long imageBytes, long wireBytes, long transferMs) implements Reply { }

  record Restored(long restoreMs, long initPid) implements Reply { }

  /** The job runs on the node that answers; note says why nothing had to be done. */
  record Running(long initPid, String note) implements Reply {
    public Running(long initPid) { this(initPid, null); }
  }

  record Discarded(String discarded) implements Reply { }

  /** Whether the acceptor had anything of the migration to remove. */
  record Aborted(boolean aborted) implements Reply { }
}
