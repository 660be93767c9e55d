package io.trellis.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis spark status <driver-id>}: a cluster-mode driver's state and the end of its output. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a cluster-mode driver's state and the last lines of its output.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--master", description = "host:port, zk://host:port/path or trellis://... (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = SparkCommand.defaultMaster();

  @Option(names = "--lines", defaultValue = "20", description = "How many lines of the driver's stdout to show (default ${DEFAULT-VALUE}).")
  int lines;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.ClientOptions client = new io.trellis.plugin.ClientOptions();

  @Parameters(index = "0", paramLabel = "DRIVER_ID", description = "The id trellis spark submit printed, driver-...")
  String driverId;

  @Override
  public Integer call() {
    try (MasterDetector detector = MasterDetectors.from(SparkCommand.clusterAddress(master))) {
      OperatorClient operator = new OperatorClient(detector, client.security());
      Optional<JsonNode> task = Drivers.find(operator, driverId);
      if (task.isEmpty()) {
        System.err.println("trellis spark status: no driver '" + driverId + "' in the cluster's state");
        return 1;
      }
      JsonNode t = task.get();
      System.out.printf("driver %s %s%s%n", driverId, t.path("state").asText(),
          t.hasNonNull("exitCode") ? " (exit code " + t.path("exitCode").asInt() + ")" : "");
      System.out.printf("  name      %s%n  framework %s%n  agent     %s%n  resources %s%n", t.path("name").asText(),
          t.path("frameworkId").asText(), t.path("agentId").asText(), t.path("resources").asText());
      if (t.hasNonNull("message")) {
        System.out.printf("  message   %s%n", t.path("message").asText());
      }
      Drivers.agent(operator, t.path("agentId").asText()).ifPresent(a -> {
        String out = tail(operator, t.path("frameworkId").asText(), t.path("agentId").asText());
        if (out != null) {
          System.out.println("  stdout (last " + lines + " lines):");
          String[] all = out.split("\n");
          for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            System.out.println("    " + all[i]);
          }
        }
      });
      return 0;
    }
  }

  private String tail(OperatorClient operator, String frameworkId, String agentId) {
    try {
      return operator.sandboxTail(frameworkId, agentId, driverId, "stdout", 16384);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
