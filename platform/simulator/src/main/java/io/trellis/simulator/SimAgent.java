package io.trellis.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** One simulated agent; owned by the simulator's thread. */
final class SimAgent {
  final int number;
  final String hostname;
  /** Its endpoint as the master calls it: the shared server and this agent's path. */
  final String endpoint;
  final String resources;
  final Map<String, String> attributes;
  /** The id the master gave, or null before the first registration. */
  String id;
  boolean registered;
  boolean registering;
  boolean heartbeating;
  long lastHeartbeat;
  final Map<String, SimTask> tasks = new LinkedHashMap<>();

  SimAgent(int number, String endpoint, String resources, Map<String, String> attributes) {
    this.number = number;
    this.hostname = "sim-" + number;
    this.endpoint = endpoint;
    this.resources = resources;
    this.attributes = Map.copyOf(attributes);
  }
}
