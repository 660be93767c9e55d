package io.trellis.simulator;

import io.trellis.api.TaskSpec;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Settings of a simulated cluster.
 *
 * @param master where the master is: {@code zk://host:port/path} or {@code host:port}
 * @param agents how many agents to simulate
 * @param resources each agent's total resources by agent number (0-based), in text form such as
 *     {@code cpus:8;mem:32768;ports:[31000-32000]}
 * @param attributes each agent's attributes by agent number
 * @param behaviour what each launched task does
 * @param host the address the agents' shared HTTP server binds and advertises
 * @param updateRetry how long an unacknowledged status update waits before it is sent again (each further
 *     retry of the same update waits twice as long, up to 32 times this)
 * @param maxRequestsInFlight how many calls to the master the agents make at once, at most
 * @param clock the source of update timestamps
 */
public record SimulatorConfig(String master, int agents, IntFunction<String> resources,
    IntFunction<Map<String, String>> attributes, Function<TaskSpec, Behaviour> behaviour, String host,
    Duration updateRetry, int maxRequestsInFlight, InstantSource clock) {
  public SimulatorConfig {
    if (master == null || master.isBlank()) {
      throw new IllegalArgumentException("the simulated agents need a master: zk://host:port/path or host:port, got '" + master + "'");
    }
    if (agents < 1) {
      throw new IllegalArgumentException("a simulated cluster needs at least one agent, got " + agents);
    }
    if (maxRequestsInFlight < 1) {
      throw new IllegalArgumentException("maxRequestsInFlight must be >= 1, got " + maxRequestsInFlight);
    }
  }

  /**
   * {@code agents} agents named {@code sim-0..n-1}, each with {@code resources}, no attributes,
   * tasks that run until killed unless their labels say otherwise ({@link Behaviour#byLabels}).
   */
  public static SimulatorConfig of(String master, int agents, String resources) {
    check(resources);
    return new SimulatorConfig(master, agents, n -> resources, n -> Map.of(),
        Behaviour.byLabels(Behaviour.runForever()), "127.0.0.1", Duration.ofSeconds(2), 64, InstantSource.system());
  }

  public SimulatorConfig withResources(IntFunction<String> r) {
    return new SimulatorConfig(master, agents, r, attributes, behaviour, host, updateRetry, maxRequestsInFlight, clock);
  }

  public SimulatorConfig withAttributes(IntFunction<Map<String, String>> a) {
    return new SimulatorConfig(master, agents, resources, a, behaviour, host, updateRetry, maxRequestsInFlight, clock);
  }

  public SimulatorConfig withBehaviour(Function<TaskSpec, Behaviour> b) {
    return new SimulatorConfig(master, agents, resources, attributes, b, host, updateRetry, maxRequestsInFlight, clock);
  }

  public SimulatorConfig withUpdateRetry(Duration d) {
    return new SimulatorConfig(master, agents, resources, attributes, behaviour, host, d, maxRequestsInFlight, clock);
  }

  /** Resources of agent {@code n}, checked. */
  String resourcesOf(int n) {
    String r = resources.apply(n);
    check(r);
    return r;
  }

  private static void check(String resources) {
    try {
      Resources.parse(resources);
    } catch (InvalidResourceException | NullPointerException e) {
      throw new IllegalArgumentException("invalid simulated agent resources '" + resources + "': " + e.getMessage(), e);
    }
  }
}
