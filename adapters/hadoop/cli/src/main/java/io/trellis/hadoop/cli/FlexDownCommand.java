package io.trellis.hadoop.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis hadoop flexdown --instances N}. */
@Command(name = "flexdown", mixinStandardHelpOptions = true,
    description = "Remove NodeManagers gracefully: YARN decommissions them, running containers finish, then their tasks end.")
final class FlexDownCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Option(names = "--instances", required = true, description = "How many NodeManagers to remove.")
  int instances;

  @Override
  public Integer call() {
    try {
      System.out.println(new ControlClient(rm).post("/v1/flexdown", Map.of("instances", instances))
          .path("message").asText());
      return 0;
    } catch (ControlClient.Failure e) {
      System.err.println("trellis hadoop flexdown: " + e.getMessage());
      return 1;
    }
  }
}
