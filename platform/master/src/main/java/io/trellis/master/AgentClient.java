package io.trellis.master;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The master's calls to agents' {@code /internal/tasks} endpoints. */
public final class AgentClient {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

  public CompletableFuture<Void> launch(String endpoint, AgentProtocol.Launch launch) {
    return post(endpoint, "/internal/tasks/launch", launch);
  }

  public CompletableFuture<Void> kill(String endpoint, AgentProtocol.Kill kill) {
    return post(endpoint, "/internal/tasks/kill", kill);
  }

  public CompletableFuture<Void> acknowledge(String endpoint, AgentProtocol.Acknowledge ack) {
    return post(endpoint, "/internal/tasks/acknowledge", ack);
  }

  private CompletableFuture<Void> post(String endpoint, String path, Object body) {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
    return attempt(request, endpoint + path, 1);
  }

  /**
   * Sends, retrying connection failures a few times: a pooled connection to an agent that
   * restarted on the same port fails once before a fresh one is opened. Every call here is
   * idempotent on the agent (a repeated launch, kill or acknowledgement changes nothing).
   */
  private CompletableFuture<Void> attempt(HttpRequest request, String target, int attempt) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, failure) -> {
      if (failure == null) {
        if (r.statusCode() / 100 != 2) {
          throw new IllegalStateException("agent " + target + " answered " + r.statusCode() + ": " + r.body());
        }
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (attempt >= 3) {
        log.warn("agent {} unreachable after {} attempts: {}", target, attempt, failure.toString());
        return CompletableFuture.<Void>failedFuture(failure);
      }
      return attempt(request, target, attempt + 1);
    }).thenCompose(f -> f);
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentClient.class);
}
