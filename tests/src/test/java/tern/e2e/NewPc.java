package tern.e2e;

import java.util.List;

/** A PC switched on for the first time: a lab node added with no secret file, which enrolls at the gateway. */
record NewPc(String name, String lanIp, String mac) {
  /** {@code tern lab add-node --enroll}: the node starts and asks the gateway to be accepted. */
  static NewPc switchOn() {
    String[] added = Lab.tern(List.of("lab", "add-node", "--enroll"), 120).ok().stdout().trim().split(" ");
    return new NewPc(added[0], added[1], added[2]);
  }

  /**
   * Takes it out of the lab and out of the admission book (a PC added later by another test may be
   * given the same name), then leaves a new lab: the gateway would go on listing the removed node as
   * down, and the classes after this one expect the lab's usual nodes.
   */
  void switchOff() {
    Lab.tern(List.of("lab", "remove-node", name), 120).ok();
    Lab.tern("nodes", "forget", mac).ok();
    Lab.renew();
  }
}
