package io.trellis.storm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis storm list}: topologies with their workers and their scheduler status. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List topologies and why any of them waits.")
final class ListCommand implements Callable<Integer> {
  @Option(names = "--nimbus", description = "Nimbus host:port (default: $TRELLIS_STORM_NIMBUS or 127.0.0.1:6627)")
  String nimbus = StormCommand.defaultNimbus();

  @Override
  public Integer call() throws Exception {
    return StormCommand.admin("list", nimbus, List.of());
  }
}
