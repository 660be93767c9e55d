package io.trellis.master.http;

import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.master.ApiException;
import io.trellis.master.ClusterPages;
import io.trellis.master.Master;
import io.trellis.master.StateView;
import io.trellis.security.Action;
import io.trellis.security.RequestSecurity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** The operator API: cluster state, roles (weights and quotas), metrics. */
@Path("/")
public final class OperatorResource {
  private final io.trellis.master.MasterRef ref;
  private final Leadership leadership;

  public OperatorResource(io.trellis.master.MasterRef ref, Leadership leadership) {
    this.ref = ref;
    this.leadership = leadership;
  }

  private Master master() {
    return ref.get();
  }

  @GET
  @Path("api/v1/state")
  @Produces(MediaType.APPLICATION_JSON)
  public String state() {
    return Bodies.json(Bodies.await(master().loop().submit(() -> StateView.of(master()))));
  }

  @GET
  @Path("api/v1/roles")
  @Produces(MediaType.APPLICATION_JSON)
  public String roles() {
    return Bodies.json(Bodies.await(master().loop().submit(() -> StateView.roles(master()))));
  }

  /** The cluster at a glance, with one page of agents (those whose id or hostname holds {@code agent}). */
  @GET
  @Path("api/v1/overview")
  @Produces(MediaType.APPLICATION_JSON)
  public String overview(@jakarta.ws.rs.QueryParam("offset") String offset, @jakarta.ws.rs.QueryParam("limit") String limit,
      @jakarta.ws.rs.QueryParam("agent") String agent) {
    int from = count("offset", offset, 0);
    int size = count("limit", limit, 50);
    return Bodies.json(Bodies.await(master().loop().submit(() -> ClusterPages.overview(master(), from, size, agent))));
  }

  /** One page of tasks, filtered by framework id, role, state, agent id and text in the id or name. */
  @GET
  @Path("api/v1/tasks")
  @Produces(MediaType.APPLICATION_JSON)
  public String tasks(@jakarta.ws.rs.QueryParam("framework") String framework,
      @jakarta.ws.rs.QueryParam("role") String role, @jakarta.ws.rs.QueryParam("state") String state,
      @jakarta.ws.rs.QueryParam("agent") String agent, @jakarta.ws.rs.QueryParam("q") String text,
      @jakarta.ws.rs.QueryParam("offset") String offset, @jakarta.ws.rs.QueryParam("limit") String limit) {
    if (state != null && !state.isBlank() && java.util.Arrays.stream(io.trellis.api.TaskState.values())
        .noneMatch(s -> s.name().equalsIgnoreCase(state))) {
      throw new ApiException(400, "unknown task state '" + (state.length() > 40 ? state.substring(0, 40) + "..." : state)
          + "' in query parameter 'state'; one of " + java.util.Arrays.toString(io.trellis.api.TaskState.values()));
    }
    int from = count("offset", offset, 0);
    int size = count("limit", limit, 100);
    ClusterPages.TaskFilter filter = new ClusterPages.TaskFilter(framework, role, state, agent, text);
    return Bodies.json(Bodies.await(master().loop().submit(() -> ClusterPages.tasks(master(), filter, from, size))));
  }

  /**
   * A file of a task's sandbox, read from its agent with the caller's own credentials (the agent
   * checks {@code read_sandbox}): {@code file} is stdout or stderr or a path in the sandbox, a
   * negative {@code offset} reads the end; the agent's answer comes back as it is.
   */
  @GET
  @Path("api/v1/frameworks/{framework}/tasks/{task}/files/read")
  @Produces(MediaType.APPLICATION_JSON)
  public jakarta.ws.rs.core.Response readFile(@PathParam("framework") String framework, @PathParam("task") String task,
      @jakarta.ws.rs.QueryParam("file") String file, @jakarta.ws.rs.QueryParam("offset") String offset,
      @jakarta.ws.rs.QueryParam("length") String length,
      @jakarta.ws.rs.HeaderParam("Authorization") String authorization) {
    return sandbox(framework, task, "read", "&file=" + encode(file == null ? "stdout" : file) + "&offset="
        + encode(offset == null ? "0" : offset) + "&length=" + encode(length == null ? "65536" : length), authorization);
  }

  /** The files of a task's sandbox, listed by its agent for the caller (as {@link #readFile}). */
  @GET
  @Path("api/v1/frameworks/{framework}/tasks/{task}/files/browse")
  @Produces(MediaType.APPLICATION_JSON)
  public jakarta.ws.rs.core.Response browseFiles(@PathParam("framework") String framework,
      @PathParam("task") String task, @jakarta.ws.rs.HeaderParam("Authorization") String authorization) {
    return sandbox(framework, task, "browse", "", authorization);
  }

  private jakarta.ws.rs.core.Response sandbox(String framework, String task, String call, String more,
      String authorization) {
    String agent = Bodies.await(master().loop().submit(() -> ClusterPages.sandboxAgent(master(), framework, task)))
        .orElseThrow(() -> new ApiException(404, "no task " + shorten(task) + " of framework " + shorten(framework)
            + " is known to this master, or its agent is gone"));
    String query = "framework=" + encode(framework) + "&task=" + encode(task) + more;
    java.net.http.HttpResponse<String> answer;
    try {
      answer = ClusterPages.sandbox(master(), agent, call, query, authorization).get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while reading from agent " + agent);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ApiException(502, "the task's agent at " + agent + " did not answer (" + e.getClass().getSimpleName()
          + "); it may be down or unreachable");
    }
    if (answer.statusCode() == 401) {
      // The caller is signed in here; the agent does not take their credentials.
      throw new ApiException(403, "the task's agent at " + agent + " did not accept your credentials for its sandbox: "
          + shorten(answer.body()));
    }
    return jakarta.ws.rs.core.Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON).entity(answer.body())
        .build();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String shorten(String value) {
    return value.length() > 100 ? value.substring(0, 100) + "..." : value;
  }

  /**
   * What changes in the cluster, as Server-Sent Events ({@code id: <seq>}, {@code data: <json>}):
   * the kept events after {@code since}, then each new one as it happens.
   */
  @GET
  @Path("api/v1/events")
  @Produces("text/event-stream")
  public org.glassfish.jersey.server.ChunkedOutput<String> events(@jakarta.ws.rs.QueryParam("since") String since) {
    long after = since == null || since.isBlank() ? 0 : count("since", since, 0);
    Master m = master();
    org.glassfish.jersey.server.ChunkedOutput<String> out = new org.glassfish.jersey.server.ChunkedOutput<>(String.class, "");
    m.loop().execute(() -> {
      StringBuilder backlog = new StringBuilder();
      m.events.since(after).forEach(e -> backlog.append(sse(e)));
      if ((backlog.length() == 0 || write(out, backlog.toString())) && !out.isClosed()) {
        m.events.watch(e -> write(out, sse(e)));
      }
    });
    return out;
  }

  private static String sse(io.trellis.master.ClusterEvents.Event e) {
    return "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + Bodies.json(e) + "\n\n";
  }

  /** Writes to a watcher's stream; false once it is closed. */
  private static boolean write(org.glassfish.jersey.server.ChunkedOutput<String> out, String text) {
    if (out.isClosed()) {
      return false;
    }
    try {
      out.write(text);
      return true;
    } catch (java.io.IOException | RuntimeException gone) {
      try {
        out.close();
      } catch (java.io.IOException ignored) {
        // Closed by the peer already.
      }
      return false;
    }
  }

  /** A query parameter that counts things: absent is {@code fallback}, else 0 to 1,000,000. */
  private static int count(String name, String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0 && n <= 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new ApiException(400, "query parameter '" + name + "' must be a whole number from 0 to 1000000, got '"
        + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
  }

  /** A role's settings are a weight and two resource lists: far less than this. */
  private static final int MAX_ROLE_BODY = 1024 * 1024;

  /** Body: {@code {"weight": 3, "quota": {"guarantee": "cpus:4", "limit": "cpus:8"}, "preemptible": false}}. */
  @PUT
  @Path("api/v1/roles/{role: .+}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public String setRole(@PathParam("role") String matched, @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri,
      String body, @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request) {
    // The whole decoded path segment: ';' would otherwise start matrix parameters that JAX-RS
    // drops, and "a;b" would set role "a".
    String path = uri.getPath(true);
    String role = path.substring(path.indexOf("roles/") + "roles/".length());
    RoleUpdate update = Bodies.parse(body, RoleUpdate.class, MAX_ROLE_BODY);
    // A change of weight needs update_weight, of quota update_quota, of anything else both.
    if (update.weight() != null || update.quota() == null) {
      RequestSecurity.require(request, Action.UPDATE_WEIGHT, role);
    }
    if (update.quota() != null || update.weight() == null) {
      RequestSecurity.require(request, Action.UPDATE_QUOTA, role);
    }
    List<io.trellis.api.ErrorBody.FieldError> errors = new ArrayList<>();
    try {
      io.trellis.core.role.Role.validate(role);
    } catch (IllegalArgumentException e) {
      errors.add(new io.trellis.api.ErrorBody.FieldError("role", e.getMessage()));
    }
    if (update.weight() != null && !(update.weight() > 0 && update.weight() < 1e9)) {
      errors.add(new io.trellis.api.ErrorBody.FieldError("weight", "must be a positive number, got " + update.weight()));
    }
    Quota quota = null;
    if (update.quota() != null) {
      Resources guarantee = resources(update.quota().guarantee(), "quota.guarantee", errors);
      Resources limit = resources(update.quota().limit(), "quota.limit", errors);
      if (guarantee != null && limit != null) {
        try {
          quota = new Quota(guarantee, limit);
        } catch (IllegalArgumentException e) {
          errors.add(new io.trellis.api.ErrorBody.FieldError("quota", e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ApiException(422, "invalid settings for role '"
          + (role.length() > 60 ? role.substring(0, 60) + "..." : role) + "'", errors);
    }
    Quota q = quota;
    return Bodies.json(Bodies.await(master().loop().submit(() -> {
      master().setRole(role, update.weight(), q, update.preemptible());
      return StateView.roles(master());
    })));
  }

  /**
   * An operator tears a framework down: its tasks are killed and it is forgotten. Needs
   * {@code teardown_framework} on the principal that subscribed it (on "" when that is not
   * known, which only a rule for every object allows); an unknown framework is a 404 only to
   * callers who could tear down any.
   */
  @jakarta.ws.rs.POST
  @Path("api/v1/frameworks/{id}/teardown")
  @Produces(MediaType.APPLICATION_JSON)
  public String teardown(@PathParam("id") String id,
      @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request) {
    java.util.Optional<String> principal = Bodies.await(master().loop().submit(() -> master().frameworkPrincipal(id)));
    RequestSecurity.require(request, Action.TEARDOWN_FRAMEWORK, principal.orElse(""));
    if (principal.isEmpty()) {
      throw new ApiException(404, "no framework " + (id.length() > 100 ? id.substring(0, 100) + "..." : id)
          + " is registered with this master");
    }
    Bodies.await(master().loop().submit(() -> {
      master().teardown(io.trellis.core.id.FrameworkId.of(id));
      return null;
    }));
    return "{}";
  }

  private static Resources resources(String text, String path, List<io.trellis.api.ErrorBody.FieldError> errors) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String item : (text == null ? "" : text).split(";")) {
      String name = item.contains(":") ? item.substring(0, item.indexOf(':')).strip() : "";
      if (!name.isEmpty() && !names.add(name)) {
        // Summing "cpus:1;cpus:2" into cpus:3 would store what nobody wrote.
        errors.add(new io.trellis.api.ErrorBody.FieldError(path, "names " + name + " twice: give each resource once"));
        return null;
      }
    }
    try {
      return Resources.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      errors.add(new io.trellis.api.ErrorBody.FieldError(path, e.getMessage()));
      return null;
    }
  }

  @GET
  @Path("metrics")
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    return master().metrics().scrape();
  }

  @GET
  @Path("health")
  @Produces(MediaType.APPLICATION_JSON)
  public String health() {
    boolean leading = leadership.isLeader();
    boolean recovered = leading && ref.recovered();
    String leader = null;
    if (!leading) {
      try {
        leader = leadership.leaderEndpoint().orElse(null);
      } catch (RuntimeException e) {
        leader = null; // ZooKeeper cannot say now; health still answers
      }
    }
    return Bodies.json(new Health("ok", leading, recovered, leader));
  }

  /**
   * What {@code GET /health} answers, on a leader and on a standby alike.
   *
   * @param leading whether this master leads now
   * @param recovered whether it leads and its recovery is over (the agents an earlier leader knew
   *     registered again, or the agent timeout passed): wait on this instead of sleeping
   * @param leader the leader's {@code host:port} as a standby knows it, or null
   */
  public record Health(String status, boolean leading, boolean recovered, String leader) {}

  /**
   * The body of a role update; a field left out keeps its value.
   *
   * @param preemptible false: the role's tasks are never preempted
   */
  public record RoleUpdate(Double weight, QuotaText quota, Boolean preemptible) {}

  /** A quota in the Mesos text form. */
  public record QuotaText(String guarantee, String limit) {}
}
