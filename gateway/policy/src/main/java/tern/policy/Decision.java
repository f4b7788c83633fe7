package tern.policy;

/**
 * What the balancer concluded about one running job this round, with its figures.
 *
 * @param to         the node it should move to (null when it stays)
 * @param costSeconds    predicted freeze of the move
 * @param gainSeconds    predicted time saved by the move over the time the job goes on running with the
 *                       policy's confidence ({@link BalancePolicy#PAYBACK_CONFIDENCE})
 * @param remainingSeconds  expected remaining run time
 * @param paybackSeconds how long on the new node the move needs to pay back its cost
 */
public record Decision(String jobId, String from, String to, Verdict verdict, String reason, double costSeconds,
                       double gainSeconds, double remainingSeconds, double paybackSeconds) {
  public enum Verdict { MOVE, STAY, PINNED }

  public boolean moves() { return verdict == Verdict.MOVE; }

  public String summary() {
    return String.format("%s on %s: %s%s (%s; cost %.2f s, gain %.2f s, expected remaining %.1f s)", jobId, from,
        verdict.name().toLowerCase(), to == null ? "" : " to " + to, reason, costSeconds, gainSeconds, remainingSeconds);
  }
}
