package io.trellis.hadoop.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis hadoop shutdown}: ends the framework (its NodeManagers) and the ResourceManager. */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
    description = "Stop the YARN cluster: Trellis kills its NodeManagers and the ResourceManager exits.")
final class ShutdownCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Override
  public Integer call() {
    try {
      System.out.println(new ControlClient(rm).post("/v1/shutdown", Map.of()).path("message").asText());
      return 0;
    } catch (ControlClient.Failure e) {
      System.err.println("trellis hadoop shutdown: " + e.getMessage());
      return 1;
    }
  }
}
