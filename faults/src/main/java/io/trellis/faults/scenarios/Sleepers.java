package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Services;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An app of sleeping tasks (each writes its ledger line first) that a scenario runs through its
 * fault, and the checks every scenario makes on it afterwards.
 */
final class Sleepers {
  final Rig rig;
  final Services services;
  final String app;
  int instances;
  /** Why the create call got no answer, when it got none. */
  private String cutCall;

  private Sleepers(Rig rig, String app, int instances) {
    this.rig = rig;
    this.services = new Services(rig);
    this.app = app;
    this.instances = instances;
  }

  /** Creates the app and waits until every instance runs. */
  static Sleepers start(Rig rig, String app, int instances) {
    return start(rig, app, instances, Map.of());
  }

  /** As {@link #start(Rig, String, int)}, with more fields of the app definition. */
  static Sleepers start(Rig rig, String app, int instances, Map<String, Object> more) {
    Sleepers s = new Sleepers(rig, app, instances);
    Map<String, Object> def = new java.util.LinkedHashMap<>(s.services.sleepers(app, instances, 0.01, 4));
    def.putAll(more);
    s.services.create(def);
    s.services.awaitRunning(app, instances, Duration.ofSeconds(60 + instances));
    return s;
  }

  /**
   * Creates the app without waiting for its instances. The server may die while it answers (a
   * crash point on the call's own path): whether the app was stored is then unknown, and
   * {@link #settleCutCall} asks the next leader, as a client whose call was cut does.
   */
  static Sleepers startDeploying(Rig rig, String app, int instances) {
    Sleepers s = new Sleepers(rig, app, instances);
    try {
      s.services.createSleepers(app, instances, 0.01, 4);
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof java.io.IOException)) {
        throw e;
      }
      s.cutCall = e.getCause().toString();
    }
    return s;
  }

  /**
   * After a failover, when the create call was cut: posts it again unless the leader has the app
   * (a cut call was never acknowledged, so either is right). Returns what happened, or null.
   */
  String settleCutCall() {
    if (cutCall == null) {
      return null;
    }
    JsonNode[] found = new JsonNode[1];
    Waits.until("the services leader to answer for " + app, Duration.ofSeconds(60), () -> {
      try {
        found[0] = services.app(app);
        return true;
      } catch (IllegalStateException e) {
        return false;
      }
    });
    if (found[0] != null) {
      return "the create call was cut by the crash (" + cutCall + "); the app had been stored";
    }
    services.createSleepers(app, instances, 0.01, 4);
    return "the create call was cut by the crash (" + cutCall + ") before the app was stored; posted again";
  }

  /** Task ids the leader lists running for the app. */
  Set<String> running() {
    return Invariants.running(rig, app);
  }

  /** Changes the instance count (work for a new leader during a fault). */
  void scale(int n) {
    instances = n;
    services.scale(app, n);
  }

  /** Waits until the leader and the services framework both see every instance running. */
  Duration awaitWhole(long t0, Duration timeout) {
    Waits.until("the leader to list " + instances + " tasks of " + app + " running", timeout,
        () -> running().size() == instances);
    services.awaitRunning(app, instances, timeout);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** The agent (by host address) running most of the app's tasks. */
  Node busiestAgent() {
    Map<String, Integer> count = new java.util.HashMap<>();
    Map<String, String> hostOf = new java.util.HashMap<>();
    JsonNode state = rig.state();
    state.path("agents").forEach(a -> hostOf.put(a.path("id").asText(), a.path("hostname").asText()));
    state.path("tasks").forEach(t -> {
      if (app.equals(t.path("name").asText()) && "RUNNING".equals(t.path("state").asText())) {
        count.merge(hostOf.get(t.path("agentId").asText()), 1, Integer::sum);
      }
    });
    String busiest = count.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElseThrow(() -> new IllegalStateException(app + " runs no task"));
    return rig.nodes(Node.Role.AGENT).stream().filter(n -> n.host().address().equals(busiest)).findFirst()
        .orElseThrow();
  }

  /** Running task ids of the app on {@code agent}. */
  Set<String> runningOn(Node agent) {
    Map<String, String> hostOf = new java.util.HashMap<>();
    JsonNode state = rig.state();
    state.path("agents").forEach(a -> hostOf.put(a.path("id").asText(), a.path("hostname").asText()));
    Set<String> out = new TreeSet<>();
    state.path("tasks").forEach(t -> {
      if (app.equals(t.path("name").asText()) && "RUNNING".equals(t.path("state").asText())
          && agent.host().address().equals(hostOf.get(t.path("agentId").asText()))) {
        out.add(t.path("id").asText());
      }
    });
    return out;
  }

  /** How many launches of the app the ledger holds. */
  long launches() {
    return rig.ledger().entries().stream().filter(e -> app.equals(e.slot())).count();
  }

  /** The checks after the fault: nothing launched twice, every process known, exactly the instances. */
  void verify(Result r, Duration recovered) {
    Invariants.launchedOnce(rig, r);
    Invariants.liveKnown(rig, r, Duration.ofSeconds(30));
    Invariants.appWhole(rig, r, app, instances, recovered);
  }

  void remove() {
    services.delete(app);
  }
}
