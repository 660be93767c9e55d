package io.trellis.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trellis.api.AgentProtocol;
import io.trellis.api.ErrorBody;
import io.trellis.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * One HTTP server for every simulated agent: agent {@code n} is reached at {@code
 * host:port/agents/n}, so the master's calls to {@code <endpoint>/internal/tasks/...} land on
 * {@code /agents/n/internal/tasks/...}. Requests are handed to the simulator's thread and
 * answered at once, as a real agent answers before it acts.
 */
final class AgentEndpoints implements AutoCloseable {
  static final String PREFIX = "/agents/";

  static {
    // Without it the JDK's server writes an answer's head and body as two small segments and
    // the second waits for the caller's delayed acknowledgement: 40 ms per call on a kept-alive
    // connection. Read once, when the JDK's server is first used.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }
  private final HttpServer server;
  private final ExecutorService workers;
  private volatile Fleet fleet;
  private final ScheduledExecutorService loop;

  /** @param tls serves https with this context when not {@code null} */
  AgentEndpoints(String host, ScheduledExecutorService loop, javax.net.ssl.SSLContext tls) throws IOException {
    this.loop = loop;
    // A deep accept queue: a master launching or killing thousands of tasks opens as many connections.
    if (tls == null) {
      this.server = HttpServer.create(new InetSocketAddress(host, 0), 4096);
    } else {
      com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(host, 0), 4096);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      this.server = https;
    }
    // TLS handshakes and record work take the workers longer: more of them, or callers pile up connections.
    this.workers = Executors.newFixedThreadPool(tls == null ? 2 : 8, r -> {
      Thread t = new Thread(r, "trellis-simulator-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** Starts answering for the agents of {@code f}; until then every call is refused with 503. */
  void serve(Fleet f) {
    this.fleet = f;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Fleet fleet = this.fleet;
      if (fleet == null) {
        answer(exchange, 503, error(503, "the simulated agents are starting"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String[] parts = path.substring(PREFIX.length()).split("/");
      if (parts.length != 4 || !parts[1].equals("internal") || !parts[2].equals("tasks")) {
        answer(exchange, 404, error(404, "no such endpoint: " + path));
        return;
      }
      int number;
      try {
        number = Integer.parseInt(parts[0]);
      } catch (NumberFormatException e) {
        answer(exchange, 404, error(404, "no simulated agent '" + parts[0] + "'"));
        return;
      }
      SimAgent agent = fleet.agent(number);
      if (agent == null) {
        answer(exchange, 404, error(404, "no simulated agent " + number + " (there are " + fleet.agents.size() + ")"));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, error(405, exchange.getRequestMethod() + " is not allowed on " + path + "; use POST"));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      switch (parts[3]) {
        case "launch" -> dispatch(exchange, agent, body, AgentProtocol.Launch.class, fleet::launch);
        case "kill" -> dispatch(exchange, agent, body, AgentProtocol.Kill.class, fleet::kill);
        case "acknowledge" -> dispatch(exchange, agent, body, AgentProtocol.Acknowledge.class, fleet::acknowledge);
        case "launches" -> dispatch(exchange, agent, body, AgentProtocol.Launches.class,
            (a, batch) -> batch.launches().stream().filter(java.util.Objects::nonNull).forEach(l -> fleet.launch(a, l)));
        case "kills" -> dispatch(exchange, agent, body, AgentProtocol.Kills.class,
            (a, batch) -> batch.kills().stream().filter(java.util.Objects::nonNull).forEach(k -> fleet.kill(a, k)));
        case "acknowledgements" -> dispatch(exchange, agent, body, AgentProtocol.Acknowledgements.class,
            (a, batch) -> batch.acknowledgements().stream().filter(java.util.Objects::nonNull).forEach(ack -> fleet.acknowledge(a, ack)));
        default -> answer(exchange, 404, error(404, "no such endpoint: " + path));
      }
    }
  }

  private <T> void dispatch(HttpExchange exchange, SimAgent agent, byte[] body, Class<T> type,
      BiConsumer<SimAgent, T> action) throws IOException {
    T message;
    try {
      message = Json.mapper().readValue(body, type);
    } catch (IOException | RuntimeException e) {
      answer(exchange, 400, error(400, "unparsable " + type.getSimpleName() + ": " + e.getMessage()));
      return;
    }
    try {
      loop.execute(() -> action.accept(agent, message));
    } catch (RejectedExecutionException closing) {
      answer(exchange, 503, error(503, "the simulated agents are stopping"));
      return;
    }
    answer(exchange, 200, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] error(int status, String message) throws IOException {
    return Json.mapper().writeValueAsBytes(new ErrorBody(status, message, null));
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
