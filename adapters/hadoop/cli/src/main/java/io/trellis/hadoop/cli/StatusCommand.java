package io.trellis.hadoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis hadoop status}: the NodeManagers (Trellis task and YARN node), waiting flexups and why. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the NodeManagers with their Trellis tasks and YARN states, YARN's demand, and waiting flexups with the reason.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Option(names = "--json", description = "Print the status document as JSON.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode s;
    try {
      s = new ControlClient(rm).get("/v1/status");
    } catch (ControlClient.Failure e) {
      System.err.println("trellis hadoop status: " + e.getMessage());
      return 1;
    }
    if (json) {
      System.out.println(s.toPrettyString());
      return 0;
    }
    JsonNode nms = s.path("nodeManagers");
    System.out.printf("cluster %s: ResourceManager %s (%s), framework %s, role %s%n", s.path("cluster").asText(),
        s.path("resourceManager").asText(), s.path("webUi").asText(), s.path("frameworkId").asText(),
        s.path("role").asText());
    System.out.printf("NodeManagers: min %d, max %d, automatic %s%n", nms.path("min").asInt(), nms.path("max").asInt(),
        nms.path("automatic").asBoolean());
    JsonNode d = nms.path("demand");
    System.out.printf("YARN: %d apps running, %d pending, %d containers pending (%d MB)%n", d.path("appsRunning").asInt(),
        d.path("appsPending").asInt(), d.path("pendingContainers").asInt(), d.path("pendingMb").asLong());
    System.out.printf("%-28s %-10s %-26s %-9s %-16s %s%n", "TASK", "PROFILE", "YARN NODE", "TASK", "YARN", "CONTAINERS");
    for (JsonNode n : nms.path("nodes")) {
      System.out.printf("%-28s %-10s %-26s %-9s %-16s %d%s%n", n.path("taskId").asText(), n.path("profile").asText(),
          n.path("nodeId").asText(), n.path("taskState").asText(), n.path("yarnState").asText(),
          n.path("containers").asInt(), n.path("leaving").asBoolean() ? " (leaving)" : "");
    }
    for (JsonNode w : nms.path("waiting")) {
      System.out.printf("waiting: %s NodeManager since %s%s: %s%n", w.path("profile").asText(),
          w.path("requestedAt").asText(), w.path("automatic").asBoolean() ? " (automatic)" : "", w.path("reason").asText());
    }
    if (nms.path("waiting").size() > 0) {
      for (JsonNode r : s.path("master")) {
        System.out.println("  the master says: " + r.asText());
      }
    }
    return 0;
  }
}
