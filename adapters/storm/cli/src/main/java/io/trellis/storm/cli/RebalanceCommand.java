package io.trellis.storm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis storm rebalance}: changes a topology's number of workers. */
@Command(name = "rebalance", mixinStandardHelpOptions = true,
    description = "Change a topology's workers; supervisors are launched or stopped to match.")
final class RebalanceCommand implements Callable<Integer> {
  @Option(names = "--nimbus", description = "Nimbus host:port (default: $TRELLIS_STORM_NIMBUS or 127.0.0.1:6627)")
  String nimbus = StormCommand.defaultNimbus();

  @Option(names = "--workers", required = true, description = "The number of workers.")
  int workers;

  @Parameters(index = "0", paramLabel = "NAME", description = "The topology's name.")
  String name;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || workers > 10000) {
      System.err.println("trellis storm rebalance: --workers must be 1 to 10000, not " + workers);
      return 2;
    }
    return StormCommand.admin("rebalance", nimbus, List.of(name, Integer.toString(workers)));
  }
}
