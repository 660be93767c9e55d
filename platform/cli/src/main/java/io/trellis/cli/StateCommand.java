package io.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis state}: a human-readable summary of the cluster. */
@Command(name = "state", mixinStandardHelpOptions = true,
    description = "Print a summary of the cluster: agents, frameworks, roles and tasks.")
final class StateCommand implements Callable<Integer> {
  @Option(names = {"--master", "--zk"}, description = "host:port or zk://host:port/path (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = Trellis.defaultMaster();

  @Option(names = "--json", description = "Print the raw state document.")
  boolean json;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.ClientOptions client = new io.trellis.plugin.ClientOptions();

  @Override
  public Integer call() throws Exception {
    try (MasterDetector detector = MasterDetectors.from(master)) {
      JsonNode s = new OperatorClient(detector, client.security()).state();
      if (json) {
        System.out.println(s.toPrettyString());
        return 0;
      }
      System.out.printf("master %s at %s%n", s.path("masterId").asText(), s.path("endpoint").asText());
      System.out.printf("%nAGENTS (%d)%n", s.path("agents").size());
      for (JsonNode a : s.path("agents")) {
        System.out.printf("  %-44s %-22s %-11s total %s%n      used  %s%n", a.path("id").asText(),
            a.path("endpoint").asText(), a.path("reachable").asBoolean() ? "reachable" : "UNREACHABLE",
            a.path("total").asText(), a.path("used").asText().isEmpty() ? "-" : a.path("used").asText());
      }
      System.out.printf("%nFRAMEWORKS (%d)%n", s.path("frameworks").size());
      for (JsonNode f : s.path("frameworks")) {
        System.out.printf("  %-42s %-16s %-12s roles %s shares %s%n", f.path("id").asText(),
            f.path("name").asText(), f.path("connected").asBoolean() ? "connected" : "disconnected",
            f.path("roles"), f.path("shares"));
      }
      printGangs(s);
      System.out.printf("%nROLES (%d)%n", s.path("roles").size());
      for (JsonNode r : s.path("roles")) {
        System.out.printf("  %-24s weight %-5s share %-8s guarantee '%s' limit '%s'%n", r.path("name").asText(),
            r.path("weight").asText(), r.path("share").isNull() ? "-" : String.format("%.3f", r.path("share").asDouble()),
            r.path("guarantee").asText(), r.path("limit").asText());
      }
      System.out.printf("%nTASKS (%d)%n", s.path("tasks").size());
      for (JsonNode t : s.path("tasks")) {
        String exit = t.hasNonNull("exitCode") ? " exit " + t.path("exitCode").asInt() : "";
        String health = !t.hasNonNull("healthy") ? "" : t.path("healthy").asBoolean() ? " healthy" : " UNHEALTHY";
        System.out.printf("  %-28s %-10s%s%s framework %s agent %s resources %s%n", t.path("id").asText(),
            t.path("state").asText(), exit, health, t.path("frameworkId").asText(), t.path("agentId").asText(),
            t.path("resources").asText());
        if (!t.path("labels").isEmpty()) {
          java.util.List<String> labels = new java.util.ArrayList<>();
          t.path("labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
          System.out.printf("      role %s labels %s%n", t.path("role").asText(), String.join(" ", labels));
        }
      }
      System.out.printf("%nOFFERS outstanding: %d%n", s.path("offers").size());
      return 0;
    }
  }

  /** Gangs that wait, are held, expired or failed, with what blocks them. */
  private static void printGangs(JsonNode s) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (JsonNode f : s.path("frameworks")) {
      for (JsonNode d : f.path("demands")) {
        String state = d.path("state").asText("");
        if (state.isEmpty() || state.equals("OFFERED")) {
          continue;
        }
        JsonNode g = d.path("gang");
        lines.add(String.format("  %-20s %-8s framework %s role %s: %d x %s, minMember %d, %s, waiting %.0f s",
            d.path("id").asText(), state, f.path("name").asText(f.path("id").asText()), d.path("role").asText(),
            d.path("count").asInt(), d.path("resources").asText(), g.path("minMember").asInt(),
            g.path("mode").asText(), d.path("waitingSeconds").asDouble()));
        d.path("held").properties().forEach(h ->
            lines.add("      holds " + h.getValue().asText() + " on " + h.getKey()));
        if (d.hasNonNull("reason")) {
          lines.add("      " + d.path("reason").asText());
        }
      }
    }
    if (!lines.isEmpty()) {
      System.out.printf("%nGANGS%n");
      lines.forEach(System.out::println);
    }
  }
}
