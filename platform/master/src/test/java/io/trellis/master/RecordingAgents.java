package io.trellis.master;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The far end of the master's calls to agents, for tests: one HTTP server answering for any
 * number of agents at {@code host:port/<name>}, recording every call it gets and answering 202.
 */
final class RecordingAgents implements AutoCloseable {
  /** A call the master made: the agent's name, the endpoint (after {@code /internal/tasks/}) and the body. */
  record Call(String agent, String endpoint, String body) {}

  private final HttpServer server;
  private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  /** Endpoints answered 404, as an agent of an earlier release answers the batched ones. */
  private final java.util.Set<String> unknown = java.util.concurrent.ConcurrentHashMap.newKeySet();

  RecordingAgents() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // "", agent, "internal", "tasks", endpoint
        String endpoint = parts[parts.length - 1];
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (unknown.contains(endpoint) || unknown.contains(parts[1] + "/" + endpoint)) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        calls.add(new Call(parts[1], endpoint, body));
        exchange.sendResponseHeaders(202, -1);
      }
    });
    server.start();
  }

  /**
   * From now on, answers 404 to calls of these endpoints and does not record them: {@code
   * launches} on every agent, {@code b/launches} on agent {@code b} only.
   */
  void refuse(String... endpoints) {
    unknown.addAll(List.of(endpoints));
  }

  /** The endpoint an agent named {@code name} registers with. */
  String endpoint(String name) {
    return "127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  /** The next call the master made, waiting up to 20 s. */
  Call next() throws InterruptedException {
    Call c = calls.poll(20, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("the master made no call to an agent within 20 s");
    }
    return c;
  }

  /** The next call the master made within {@code wait}, or null. */
  Call poll(java.time.Duration wait) throws InterruptedException {
    return calls.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code n} calls, in the order they came. */
  List<Call> next(int n) throws InterruptedException {
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
