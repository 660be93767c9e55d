package io.trellis.master.http;

import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.master.ApiException;
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
