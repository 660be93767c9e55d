package io.trellis.master.http;

import io.trellis.api.AgentProtocol;
import io.trellis.api.ErrorBody;
import io.trellis.master.ApiException;
import io.trellis.master.Master;
import io.trellis.master.MasterRef;
import io.trellis.security.Action;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import io.trellis.security.RequestSecurity;
import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints agents call ({@code POST /internal/agents/register|heartbeat|update|updates}),
 * served by the HTTP server directly rather than through the JAX-RS layer: they are the master's
 * busiest (every agent's heartbeats and status updates), and that layer cost several times the
 * work of the calls themselves. Errors are the same JSON bodies as everywhere else; a standby
 * redirects to the leader as the rest of the API does.
 */
final class AgentEndpoints extends HttpHandler {
  static final String PATH = "/internal/agents";
  private static final List<String> NAMES = List.of("register", "heartbeat", "update", "updates");
  private static final Logger log = LoggerFactory.getLogger(AgentEndpoints.class);
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
  private final MasterRef ref;
  private final Leadership leadership;

  /** {@code others} and the endpoints served here. */
  static List<io.trellis.security.auth.Endpoints.Endpoint> endpoints(List<io.trellis.security.auth.Endpoints.Endpoint> others) {
    List<io.trellis.security.auth.Endpoints.Endpoint> all = new ArrayList<>(others);
    for (String name : NAMES) {
      all.add(new io.trellis.security.auth.Endpoints.Endpoint("POST", PATH + "/" + name));
    }
    return List.copyOf(all);
  }

  AgentEndpoints(MasterRef ref, Leadership leadership) {
    this.ref = ref;
    this.leadership = leadership;
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    String path = request.getRequestURI();
    try {
      if (!leadership.isLeader()) {
        toLeader(request, response);
        return;
      }
      String endpoint = path.startsWith(PATH + "/") ? path.substring(PATH.length() + 1) : "";
      if (!NAMES.contains(endpoint)) {
        throw new ApiException(404, "no such endpoint: " + path);
      }
      if (request.getMethod() != Method.POST) {
        throw new ApiException(405, request.getMethod() + " is not allowed on " + path + "; use POST");
      }
      String body = body(request);
      switch (endpoint) {
        case "register" -> {
          AgentProtocol.Register r = Bodies.parse(body, AgentProtocol.Register.class);
          require(request, r.hostname());
          Registrations.check(r);
          answer(response, 200, Bodies.json(Bodies.await(master().loop().submit(() -> master().register(r))))
              .getBytes(StandardCharsets.UTF_8));
        }
        case "heartbeat" -> {
          java.time.Instant arrived = master().clock().instant();
          AgentProtocol.Heartbeat h = Bodies.parse(body, AgentProtocol.Heartbeat.class);
          require(request, h.agentId());
          if (!master().mayHeartbeat(h.agentId())) {
            // 404 tells the agent to register again.
            throw new ApiException(404, "agent " + h.agentId() + " is not registered with this master: register again");
          }
          // Answered at once, never waiting behind allocation or the calls queued on the loop;
          // the loop takes the heartbeat ahead of them, counting the agent heard from when the
          // heartbeat arrived.
          var taken = master().loop().submitUrgent(() -> master().heartbeat(h.agentId(), arrived));
          if (taken.isCompletedExceptionally()) {
            Bodies.await(taken); // throws the refusal: this master stopped leading
          }
          answer(response, 200, EMPTY);
        }
        case "update" -> {
          AgentProtocol.Update u = Bodies.parse(body, AgentProtocol.Update.class);
          require(request, u.agentId());
          answerTaken(response, updates(List.of(u), ""));
        }
        default -> {
          AgentProtocol.Updates batch = Bodies.parse(body, AgentProtocol.Updates.class);
          require(request, batch.agentId());
          List<AgentProtocol.Update> all = new ArrayList<>(batch.updates().size());
          for (AgentProtocol.Update u : batch.updates()) {
            all.add(u == null || u.agentId() != null ? u : new AgentProtocol.Update(batch.agentId(), u.frameworkId(), u.status()));
          }
          answerTaken(response, updates(all, "updates"));
        }
      }
    } catch (ApiException e) {
      answer(response, e.status(), Bodies.json(e.body()).getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      log.error("request {} failed", path, e);
      answer(response, 500, Bodies.json(new ErrorBody(500, "internal error: " + e.getClass().getSimpleName()
          + "; the master log has the details", List.of())).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Only principals allowed register_agent speak for agents: on the agent's host name when it
   * registers, on its id when it heartbeats or reports.
   */
  private static void require(Request request, String object) {
    Decision d = ServerSecurity.decide(request, Action.REGISTER_AGENT, object);
    if (!d.allowed()) {
      Object p = request.getAttribute(RequestSecurity.PRINCIPAL);
      throw new ApiException(403, ServerSecurity.refusal((Principal) p, Action.REGISTER_AGENT, object, d));
    }
  }

  /** Hands status updates to the master in order, for one turn of its loop; all or none. */
  private java.util.concurrent.CompletableFuture<Void> updates(List<AgentProtocol.Update> updates, String field) {
    List<ErrorBody.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      AgentProtocol.Update u = updates.get(i);
      String at = field.isEmpty() ? "" : field + "[" + i + "].";
      if (u == null) {
        errors.add(new ErrorBody.FieldError(field + "[" + i + "]", "is empty: give agentId, frameworkId and status"));
        continue;
      }
      if (u.agentId() == null || u.agentId().isBlank()) {
        errors.add(new ErrorBody.FieldError(at + "agentId", "is required"));
      }
      if (u.frameworkId() == null || u.frameworkId().isBlank()) {
        errors.add(new ErrorBody.FieldError(at + "frameworkId", "is required"));
      }
      if (u.status() == null || u.status().taskId() == null || u.status().state() == null) {
        errors.add(new ErrorBody.FieldError(at + "status", "needs taskId and state"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ApiException(422, errors.size() + " invalid field(s) in the status update(s); none was taken", errors);
    }
    return master().loop().submit(() -> {
      for (AgentProtocol.Update u : updates) {
        master().agentUpdate(u);
      }
      return (Void) null;
    });
  }

  /**
   * Answers 202 once status updates are queued on the loop, without waiting for it to get to
   * them: an agent resends every update until its framework acknowledges it, so the answer only
   * says it was taken, and agents are not held back by the loop's queue (a master that stopped
   * leading still answers 503 at once).
   */
  private static void answerTaken(Response response, java.util.concurrent.CompletableFuture<Void> queued) throws IOException {
    if (queued.isCompletedExceptionally()) {
      Bodies.await(queued); // throws the refusal
    }
    queued.whenComplete((none, failure) -> {
      if (failure != null) {
        log.error("status updates failed on the event loop", failure);
      }
    });
    answer(response, 202, EMPTY);
  }

  private Master master() {
    return ref.get();
  }

  private static String body(Request request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(Bodies.MAX_BODY + 1);
      if (bytes.length > Bodies.MAX_BODY) {
        throw new ApiException(413, "the request body exceeds " + Bodies.MAX_BODY + " bytes");
      }
      try {
        return io.trellis.http.Utf8Bodies.strict(bytes);
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new ApiException(400, io.trellis.http.Utf8Bodies.NOT_UTF8);
      }
    }
  }

  /** A standby sends agents to the leader (307), or answers 503 while none is elected. */
  private void toLeader(Request request, Response response) throws IOException {
    var leader = leadership.leaderEndpoint();
    if (leader.isEmpty()) {
      answer(response, 503, Bodies.json(new ErrorBody(503,
          "this master is a standby and no leader is elected yet; retry shortly", List.of())).getBytes(StandardCharsets.UTF_8));
      return;
    }
    String query = request.getQueryString();
    response.setStatus(307);
    response.setHeader("Location", request.getScheme() + "://" + leader.get() + request.getRequestURI() + (query == null ? "" : "?" + query));
    response.setContentLength(0);
  }

  private static void answer(Response response, int status, byte[] body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
