package io.trellis.master;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.security.signing.RequestSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's calls to agents' {@code /internal/tasks} endpoints. Launches and acknowledgements
 * for one agent go in one call; an agent of an earlier release, which answers 404 to those, gets
 * them one by one. Every call names the master's leader epoch.
 */
public final class AgentClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentClient.class);
  /** For reading sandboxes on behalf of callers (a page at a time, rarely). */
  private final HttpClient http;
  /** For launches, kills and acknowledgements. */
  private final io.trellis.http.PostClient connections;
  private final long epoch;
  private final io.trellis.security.ClientSecurity security;
  private final RequestSigner signer;
  /**
   * Calls in flight at most: each holds a connection (HTTP/1.1), and a burst (a framework torn
   * down with ten thousand tasks, each killed on its agent) must not open one socket per call.
   */
  static final int MAX_IN_FLIGHT = 256;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  /** Calls waiting for one in flight to end, oldest first. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** A client of a master that leads alone (epoch 0). */
  public AgentClient() {
    this(0);
  }

  /**
   * A client that does not sign its calls (agents without a cluster key take them).
   *
   * @param epoch the sending master's leader epoch, named on every call ({@link
   *     AgentProtocol#EPOCH_HEADER}): agents refuse calls of epochs older than the newest they saw
   */
  public AgentClient(long epoch) {
    this(epoch, io.trellis.security.ClientSecurity.none());
  }

  /** As {@link #AgentClient(long)}, reaching agents with these TLS settings (and client certificate). */
  public AgentClient(long epoch, io.trellis.security.ClientSecurity security) {
    this(epoch, security, null);
  }

  /**
   * As {@link #AgentClient(long, io.trellis.security.ClientSecurity)}, signing every call with
   * the cluster key through {@code signer} ({@code null}: unsigned).
   */
  public AgentClient(long epoch, io.trellis.security.ClientSecurity security, RequestSigner signer) {
    this.epoch = epoch;
    this.security = security;
    this.signer = signer;
    this.http = security.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    this.connections = new io.trellis.http.PostClient("trellis-agent-calls", security.ssl(), MAX_IN_FLIGHT, 16,
        Duration.ofSeconds(10));
  }

  /** Stops calling agents: calls in flight fail, later ones fail at once. */
  @Override
  public void close() {
    connections.close();
  }

  /** Launches the tasks on the agent at {@code endpoint}, in one call. */
  public CompletableFuture<Void> launch(String endpoint, List<AgentProtocol.Launch> launches) {
    if (launches.size() == 1) {
      return launch(endpoint, launches.get(0));
    }
    return orOneByOne(post(endpoint, "/internal/tasks/launches", new AgentProtocol.Launches(launches)),
        () -> allOf(launches.stream().map(l -> launch(endpoint, l)).toList()));
  }

  public CompletableFuture<Void> launch(String endpoint, AgentProtocol.Launch launch) {
    return post(endpoint, "/internal/tasks/launch", launch);
  }

  public CompletableFuture<Void> kill(String endpoint, AgentProtocol.Kill kill) {
    return post(endpoint, "/internal/tasks/kill", kill);
  }

  /** Kills the tasks on the agent at {@code endpoint}, in one call. */
  public CompletableFuture<Void> kill(String endpoint, List<AgentProtocol.Kill> kills) {
    if (kills.size() == 1) {
      return kill(endpoint, kills.get(0));
    }
    return orOneByOne(post(endpoint, "/internal/tasks/kills", new AgentProtocol.Kills(kills)),
        () -> allOf(kills.stream().map(k -> kill(endpoint, k)).toList()));
  }

  /** Passes acknowledgements on to the agent at {@code endpoint}, in one call. */
  public CompletableFuture<Void> acknowledge(String endpoint, List<AgentProtocol.Acknowledge> acks) {
    if (acks.size() == 1) {
      return acknowledge(endpoint, acks.get(0));
    }
    return orOneByOne(post(endpoint, "/internal/tasks/acknowledgements", new AgentProtocol.Acknowledgements(acks)),
        () -> allOf(acks.stream().map(a -> acknowledge(endpoint, a)).toList()));
  }

  public CompletableFuture<Void> acknowledge(String endpoint, AgentProtocol.Acknowledge ack) {
    return post(endpoint, "/internal/tasks/acknowledge", ack);
  }

  /** The client every call goes through (HTTP/1.1, the master's TLS settings). */
  HttpClient httpClient() {
    return http;
  }

  /**
   * Reads or lists a task's sandbox on the agent at {@code endpoint} on behalf of a caller, whose
   * own {@code authorization} is passed on: the agent decides whether that caller may read the
   * sandbox ({@code read_sandbox}). {@code call} is {@code read} or {@code browse}, {@code query}
   * the agent's {@code files/<call>} query string.
   */
  public CompletableFuture<HttpResponse<String>> sandbox(String endpoint, String call, String query, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(security.url(endpoint) + "/files/" + call + "?" + query))
        .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<Void> allOf(List<CompletableFuture<Void>> calls) {
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
  }

  /** Falls back to {@code singles} when the agent does not know the batched endpoint. */
  private static CompletableFuture<Void> orOneByOne(CompletableFuture<Void> batch,
      java.util.function.Supplier<CompletableFuture<Void>> singles) {
    return batch.exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof Refused refused && refused.status == 404) {
        log.debug("{}: sending one by one", refused.getMessage());
        return singles.get();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** An agent's answer other than 2xx. */
  private static final class Refused extends IllegalStateException {
    final int status;

    Refused(String target, int status, String body) {
      super("agent " + target + " answered " + status + ": " + body);
      this.status = status;
    }
  }

  private CompletableFuture<Void> post(String endpoint, String path, Object body) {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return attempt(URI.create(security.url(endpoint) + path), path, json, endpoint + path, 1);
  }

  /**
   * Sends, retrying connection failures a few times: a pooled connection to an agent that
   * restarted on the same port fails once before a fresh one is opened. Every call here is
   * idempotent on the agent (a repeated launch, kill or acknowledgement changes nothing).
   */
  private CompletableFuture<Void> attempt(URI uri, String path, byte[] body, String target, int attempt) {
    Map<String, String> headers = new LinkedHashMap<>(security.headers());
    headers.put(AgentProtocol.EPOCH_HEADER, Long.toString(epoch));
    if (signer != null) {
      // Signed afresh on every attempt: the agent refuses a nonce it has seen.
      headers.putAll(signer.sign("POST", path, Long.toString(epoch), body).asMap());
    }
    return limited(() -> connections.post(uri, headers, body)).handle((r, failure) -> {
      if (failure == null) {
        if (r.status() / 100 != 2) {
          throw new Refused(target, r.status(), r.body());
        }
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (connections.closed()) {
        // This master stopped calling agents (it no longer leads, or it stops).
        return CompletableFuture.<Void>failedFuture(failure);
      }
      if (attempt >= 3) {
        log.warn("agent {} unreachable after {} attempts: {}", target, attempt, failure.toString());
        return CompletableFuture.<Void>failedFuture(failure);
      }
      return attempt(uri, path, body, target, attempt + 1);
    }).thenCompose(f -> f);
  }

  /** Starts {@code call} once fewer than {@link #MAX_IN_FLIGHT} calls are in flight. */
  private <T> CompletableFuture<T> limited(java.util.function.Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    waiting.add(() -> {
      CompletableFuture<T> sent;
      try {
        sent = call.get();
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      // Done at once (it could not even be sent): the loop that started it goes on to the next.
      boolean done = sent.isDone();
      sent.whenComplete((value, failure) -> {
        inFlight.decrementAndGet();
        if (!done) {
          startWaiting();
        }
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      });
    });
    startWaiting();
    return result;
  }

  private void startWaiting() {
    while (!waiting.isEmpty()) {
      int n = inFlight.get();
      if (n >= MAX_IN_FLIGHT) {
        return; // the end of a call in flight starts the next
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight.decrementAndGet();
      } else {
        next.run();
      }
    }
  }
}
