package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Api;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import java.time.Duration;
import java.util.Optional;

/** The services and jobs instances' own word on which of them leads and has recovered. */
final class Frameworks {
  /** The bar for a framework's failover with default settings. */
  static final Duration FAILOVER_BUDGET = Duration.ofSeconds(15);

  private Frameworks() {}

  static String url(Node n) {
    return "http://" + n.host().address() + ":" + (n.role() == Node.Role.JOBS ? 4400 : 8080);
  }

  /** Whether {@code n} answers that it leads and has recovered its state. */
  static boolean leadsRecovered(Rig rig, Node n) {
    if (!n.alive()) {
      return false;
    }
    try {
      Api.Answer a = rig.api().get(url(n) + (n.role() == Node.Role.JOBS ? "/v1/scheduler/leader" : "/v2/info"),
          Duration.ofSeconds(2));
      if (!a.ok()) {
        return false;
      }
      JsonNode j = a.json();
      boolean leads = n.role() == Node.Role.JOBS ? j.path("leading").asBoolean() : j.path("elected").asBoolean();
      return leads && j.path("recovered").asBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Optional<Node> leading(Rig rig, Node.Role role) {
    return rig.nodes(role).stream().filter(n -> leadsRecovered(rig, n)).findFirst();
  }

  /**
   * Makes a leader of {@code role} that carries crash point {@code point}: one standby starts again
   * with it, then the leader (and any other standby) is killed so that the armed one leads; those
   * start again without it. Returns the armed instance.
   */
  static Node arm(Rig rig, Node.Role role, String point) {
    java.util.List<Node> all = rig.nodes(role);
    Node leader = role == Node.Role.MASTER ? rig.awaitLeader(Duration.ofSeconds(60))
        : awaitLeading(rig, role, null, Duration.ofSeconds(60));
    Node armed = all.stream().filter(n -> !n.equals(leader)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the crash point scenarios need two " + role + " instances"));
    armed.kill9();
    armed.setEnv("TRELLIS_CRASH_POINT", point);
    armed.start();
    rig.awaitUp(armed);
    java.util.List<Node> others = all.stream().filter(n -> !n.equals(armed)).toList();
    others.forEach(Node::kill9);
    if (role == Node.Role.MASTER) {
      Waits.until(armed.name() + " to lead", Duration.ofSeconds(60), () -> rig.saysItLeads(armed));
      rig.awaitAgentsRegistered(Duration.ofSeconds(60));
    } else {
      awaitLeading(rig, role, null, Duration.ofSeconds(60));
    }
    others.forEach(Node::start);
    others.forEach(rig::awaitUp);
    return armed;
  }

  /** Waits until an instance of {@code role} other than {@code not} (may be null) leads and has recovered. */
  static Node awaitLeading(Rig rig, Node.Role role, Node not, Duration timeout) {
    Node[] found = new Node[1];
    Waits.until("a " + role.name().toLowerCase() + " instance to lead and recover", timeout, () -> {
      for (Node n : rig.nodes(role)) {
        if (!n.equals(not) && leadsRecovered(rig, n)) {
          found[0] = n;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }
}
