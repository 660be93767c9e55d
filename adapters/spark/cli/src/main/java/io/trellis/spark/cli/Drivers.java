package io.trellis.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.client.OperatorClient;
import java.util.Optional;

/** Cluster-mode drivers in the master's state: Trellis tasks whose id starts with {@code driver-}. */
final class Drivers {
  private Drivers() {}

  static Optional<JsonNode> find(OperatorClient operator, String driverId) {
    JsonNode state = operator.state();
    for (JsonNode t : state.path("tasks")) {
      if (t.path("id").asText().equals(driverId)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  static Optional<JsonNode> agent(OperatorClient operator, String agentId) {
    for (JsonNode a : operator.state().path("agents")) {
      if (a.path("id").asText().equals(agentId)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  static boolean terminal(String state) {
    return switch (state) {
      case "FINISHED", "FAILED", "KILLED", "LOST", "GONE", "ERROR" -> true;
      default -> false;
    };
  }
}
