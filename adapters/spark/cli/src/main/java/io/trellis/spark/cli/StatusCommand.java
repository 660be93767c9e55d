package io.trellis.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

  @Parameters(index = "0", paramLabel = "DRIVER_ID", description = "The id trellis spark submit printed, driver-...")
  String driverId;

  @Override
  public Integer call() {
    try (MasterDetector detector = MasterDetectors.from(SparkCommand.clusterAddress(master))) {
      OperatorClient operator = new OperatorClient(detector);
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
        String out = tail(a.path("endpoint").asText(), t.path("frameworkId").asText());
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

  private String tail(String agentEndpoint, String frameworkId) {
    try {
      String url = "http://" + agentEndpoint + "/files/read?framework=" + enc(frameworkId) + "&task=" + enc(driverId)
          + "&file=stdout&offset=-16384&length=16384";
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      return Json.mapper().readTree(r.body()).path("data").asText();
    } catch (Exception e) {
      return null;
    } 
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
