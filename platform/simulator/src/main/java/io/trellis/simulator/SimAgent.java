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
  /** The id to heartbeat as while registered, null otherwise: written by the simulator's thread, read by the heartbeats'. */
  volatile String heartbeatAs;
  /** Heartbeat thread only: a heartbeat in flight, and when the next is due (System.nanoTime; 0: not yet known). */
  boolean heartbeating;
  long heartbeatDue;
  final Map<String, SimTask> tasks = new LinkedHashMap<>();

  SimAgent(int number, String endpoint, String resources, Map<String, String> attributes) {
    this.number = number;
    this.hostname = "sim-" + number;
    this.endpoint = endpoint;
    this.resources = resources;
    this.attributes = Map.copyOf(attributes);
  }
}
