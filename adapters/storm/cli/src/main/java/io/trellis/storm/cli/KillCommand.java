package io.trellis.storm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis storm kill}: kills a topology and waits until Nimbus has removed it. */
@Command(name = "kill", mixinStandardHelpOptions = true,
    description = "Kill a topology; its supervisors are stopped and their resources return to Trellis.")
final class KillCommand implements Callable<Integer> {
  @Option(names = "--nimbus", description = "Nimbus host:port (default: $TRELLIS_STORM_NIMBUS or 127.0.0.1:6627)")
  String nimbus = StormCommand.defaultNimbus();

  @Option(names = "--wait", defaultValue = "0", description = "Seconds between stopping the spouts and stopping the workers (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  @Parameters(index = "0", paramLabel = "NAME", description = "The topology's name.")
  String name;

  @Override
  public Integer call() throws Exception {
    if (waitSeconds < 0 || waitSeconds > 86400) {
      System.err.println("trellis storm kill: --wait must be 0 to 86400 seconds, not " + waitSeconds);
      return 2;
    }
    return StormCommand.admin("kill", nimbus, List.of(name, Integer.toString(waitSeconds)));
  }
}
