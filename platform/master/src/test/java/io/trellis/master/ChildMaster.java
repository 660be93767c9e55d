package io.trellis.master;

import java.time.Duration;

/**
 * A master in a process of its own, for tests that must pause it (SIGSTOP) as a long GC or a
 * frozen VM would: {@code ChildMaster <zk spec> <session timeout ms> <agent timeout ms>}. Prints
 * {@code ENDPOINT host:port} once listening, then runs until killed.
 */
public final class ChildMaster {
  private ChildMaster() {}

  public static void main(String[] args) throws Exception {
    MasterConfig config = MasterConfig.defaults().withPort(0)
        .withZkSessionTimeout(Duration.ofMillis(Long.parseLong(args[1])))
        .withAgentTimeouts(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMinutes(10));
    MasterProcess master = MasterProcess.withZooKeeper(config, args[0]);
    System.out.println("ENDPOINT " + master.endpoint());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
