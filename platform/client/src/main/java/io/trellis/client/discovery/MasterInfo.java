package io.trellis.client.discovery;

import io.trellis.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The leading master, as published in ZooKeeper at {@link ZkLayout#leaderInfo()} in the JSON
 * form {@code {"id":"m1","endpoint":"10.0.0.5:5050","epoch":3}}.
 *
 * @param id the master's id, unique among the contending masters
 * @param endpoint where its HTTP API listens, {@code host:port}
 * @param epoch the leader epoch it was elected in, growing with each election (0: unknown, as
 *     for a master given by address)
 */
public record MasterInfo(String id, String endpoint, long epoch) {
  public MasterInfo {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("master id is empty; give each master a unique id");
    }
    String problem = endpointProblem(endpoint);
    if (problem != null) {
      throw new IllegalArgumentException("bad master endpoint '" + endpoint + "': " + problem + "; expected host:port");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("bad epoch " + epoch + " of master " + id + ": expected 0 or more");
    }
  }

  public String host() {
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  public byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + this + " as JSON", e);
    }
  }

  /** Reads the JSON form; throws IllegalArgumentException naming the text if it is not one. */
  public static MasterInfo fromJson(byte[] json) {
    try {
      MasterInfo info = Json.mapper().readValue(json, MasterInfo.class);
      if (info == null) {
        throw new IllegalArgumentException("leader info is empty");
      }
      return info;
    } catch (IOException | IllegalArgumentException e) {
      String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
      throw new IllegalArgumentException("malformed leader info '" + (text.length() > 200 ? text.substring(0, 200) + "..." : text)
          + "': expected {\"id\":..,\"endpoint\":\"host:port\",\"epoch\":..}", e);
    }
  }

  @Override
  public String toString() {
    return id + "@" + endpoint + " (epoch " + epoch + ")";
  }

  /** What is wrong with {@code host:port}, or null if nothing. */
  static String endpointProblem(String endpoint) {
    if (endpoint == null || endpoint.isEmpty()) {
      return "it is empty";
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      return colon == 0 ? "it names no host" : "it has no port";
    }
    String host = endpoint.substring(0, colon);
    if (host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@' || c == ',' || c == '?' || c == '#')) {
      return "host '" + host + "' has a blank or one of / @ , ? #";
    }
    String port = endpoint.substring(colon + 1);
    int value;
    try {
      value = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      return "port '" + port + "' is not a number";
    }
    if (value < 1 || value > 65535 || !port.equals(Integer.toString(value))) {
      return "port '" + port + "' is not in 1..65535";
    }
    return null;
  }
}
