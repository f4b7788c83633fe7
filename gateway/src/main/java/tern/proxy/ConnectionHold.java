package tern.proxy;

/** Something that carries a job's connections and can stop them while the job is frozen. */
public interface ConnectionHold {
  void hold(String jobId);

  void release(String jobId);

  static ConnectionHold all(ConnectionHold... holds) {
    return new ConnectionHold() {
      @Override public void hold(String jobId) { for (ConnectionHold h : holds) h.hold(jobId); }

      @Override public void release(String jobId) { for (ConnectionHold h : holds) h.release(jobId); }
    };
  }
}
