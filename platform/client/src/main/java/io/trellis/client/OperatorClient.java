package io.trellis.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.security.ClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The operator API of the leading master: state, roles, metrics. */
public final class OperatorClient {
  private final MasterDetector detector;
  private final MasterHttp http;

  public OperatorClient(MasterDetector detector) {
    this(detector, ClientSecurity.none());
  }

  /** Calls with these credentials and TLS settings. */
  public OperatorClient(MasterDetector detector, ClientSecurity security) {
    this.detector = detector;
    this.http = new MasterHttp(security);
  }

  private String leader() {
    try {
      return detector.await(Duration.ofSeconds(10)).endpoint();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for the master", e);
    }
  }

  /** The master's state document ({@code GET /api/v1/state}). */
  public JsonNode state() {
    return tree(http.send(leader(), "GET", "/api/v1/state", null, Map.of()));
  }

  public JsonNode roles() {
    return tree(http.send(leader(), "GET", "/api/v1/roles", null, Map.of()));
  }

  /** Sets a role's weight and quota (Mesos text form); {@code null} leaves a setting as it is. */
  public JsonNode setRole(String role, Double weight, String guarantee, String limit) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (weight != null) {
      body.put("weight", weight);
    }
    if (guarantee != null || limit != null) {
      Map<String, String> quota = new LinkedHashMap<>();
      quota.put("guarantee", guarantee == null ? "" : guarantee);
      quota.put("limit", limit == null ? "" : limit);
      body.put("quota", quota);
    }
    return tree(http.send(leader(), "PUT", "/api/v1/roles/" + role, body, Map.of()));
  }

  /** The address ({@code host:port}) of an agent the master knows, or null. */
  public String agentEndpoint(String agentId) {
    for (JsonNode a : state().path("agents")) {
      if (a.path("id").asText().equals(agentId)) {
        return a.path("endpoint").asText(null);
      }
    }
    return null;
  }

  /**
   * The last {@code bytes} of a file of a task's sandbox ({@code stdout}, {@code stderr}),
   * read through its agent's files API; null when the master or the agent cannot say.
   */
  public String sandboxTail(String frameworkId, String agentId, String taskId, String file, int bytes) {
    String agent = agentEndpoint(agentId);
    if (agent == null) {
      return null;
    }
    String path = "/files/read?framework=" + enc(frameworkId) + "&task=" + enc(taskId) + "&file=" + enc(file)
        + "&offset=-" + bytes + "&length=" + bytes;
    return tree(http.send(agent, "GET", path, null, Map.of())).path("data").asText(null);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  public String metrics() {
    return http.send(leader(), "GET", "/metrics", null, Map.of());
  }

  private static JsonNode tree(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("the master answered something that is not JSON", e);
    }
  }
}
