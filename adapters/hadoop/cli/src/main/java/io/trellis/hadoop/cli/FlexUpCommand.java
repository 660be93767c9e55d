package io.trellis.hadoop.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis hadoop flexup --instances N --profile P}. */
@Command(name = "flexup", mixinStandardHelpOptions = true,
    description = "Add NodeManagers of a profile; they start as soon as Trellis offers room.")
final class FlexUpCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Option(names = "--instances", required = true, description = "How many NodeManagers to add.")
  int instances;

  @Option(names = "--profile", defaultValue = "small", description = "Their profile (default ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--together", description = "Start them all together once all fit, or none (a gang).")
  boolean together;

  @Override
  public Integer call() {
    try {
      System.out.println(new ControlClient(rm).post("/v1/flexup", Map.of("instances", instances, "profile", profile, "together", together))
          .path("message").asText());
      return 0;
    } catch (ControlClient.Failure e) {
      System.err.println("trellis hadoop flexup: " + e.getMessage());
      return 1;
    }
  }
}
