package io.trellis.bench;

import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.time.Duration;

/**
 * A standalone master (state in memory) in a process of its own, so that a benchmark reads the
 * master's CPU time apart from the load it drives: prints {@code endpoint=host:port} once it
 * serves, and stops when its standard input closes (the benchmark ended or died).
 *
 * <p>Arguments: the agent timeout in seconds (an agent silent that long is unreachable).
 */
public final class BenchMaster {
  private BenchMaster() {
  }

  public static void main(String[] args) throws Exception {
    long agentTimeout = args.length > 0 ? Long.parseLong(args[0]) : 75;
    MasterConfig config = MasterConfig.defaults().withPort(0)
        .withAgentTimeouts(Duration.ofSeconds(agentTimeout), Duration.ofMinutes(10));
    try (MasterProcess master = MasterProcess.standalone(config)) {
      System.out.println("endpoint=" + master.endpoint());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the benchmark closes the pipe.
      }
    }
  }
}
