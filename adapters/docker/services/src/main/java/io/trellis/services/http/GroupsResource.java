package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.services.ServiceException;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppId;
import io.trellis.services.app.GroupReader;
import io.trellis.services.app.Limits;
import io.trellis.services.app.ParsedApp;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.framework.ServicesFramework.AppCommandsResult;
import io.trellis.services.framework.State;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /v2/groups}: the tree of groups that app ids form by their path prefixes, and changes
 * to every app of a group at once (create, replace, scale, destroy). A group exists while it
 * holds an app; each app changed gets its own deployment.
 */
@Path("v2/groups")
@Produces(MediaType.APPLICATION_JSON)
public final class GroupsResource {
  private final Supplier<ServicesFramework> framework;

  /** The request being served (its caller, for the container policy). */
  @jakarta.ws.rs.core.Context
  private jakarta.inject.Provider<org.glassfish.jersey.server.ContainerRequest> request;

  GroupsResource(Supplier<ServicesFramework> framework) {
    this.framework = framework;
  }

  @GET
  public Response root(@QueryParam("embed") List<String> embed) {
    return get("/", embed);
  }

  @GET
  @Path("{path: .+}")
  public Response get(@PathParam("path") String path, @QueryParam("embed") List<String> embed) {
    String id = AppId.absolute(path);
    boolean tasks = embed.contains("group.apps.tasks");
    ObjectNode group = framework.get().read(s -> appsIn(s, id).isEmpty() && !id.equals("/")
        ? null : group(s, id, tasks));
    if (group == null) {
      throw ServiceException.notFound("Group '" + id + "' does not exist");
    }
    return Http.json(200, group);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(String body, @QueryParam("force") boolean force) {
    return createAt(null, body, force);
  }

  @POST
  @Path("{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Response createAt(@PathParam("path") String path, String body,
      @QueryParam("force") boolean force) {
    GroupReader.Group g = GroupReader.read(body, path == null ? null : AppId.absolute(path));
    if (g.apps().isEmpty()) {
      throw new ServiceException(422, "a new group needs at least one app (a group exists while"
          + " it holds apps)", List.of(new io.trellis.api.ErrorBody.FieldError("$.apps",
          "must not be empty")), Map.of());
    }
    AppPolicy.check(request.get(), g.apps().stream().map(ParsedApp::app).toList(), g.paths());
    boolean exists = framework.get().read(s -> !appsIn(s, g.id()).isEmpty());
    if (exists) {
      throw new ServiceException(409, "Group '" + g.id() + "' is already created. Use PUT to"
          + " change this group.");
    }
    List<AppCommandsResult> results = framework.get().changeAll(g.apps().stream().map(ParsedApp::app).toList(),
        List.of(), true, force, g.paths());
    return Http.withWarnings(Response.created(URI.create("/v2/groups" + g.id())), g.warnings())
        .type(MediaType.APPLICATION_JSON)
        .entity(result(results, g.warnings()).toString()).build();
  }

  /**
   * Replaces a group: its apps become exactly those of the definition (apps left out are
   * destroyed), or, with {@code scaleBy}, every app's instances are multiplied (rounded up).
   */
  @PUT
  @Path("{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Response replace(@PathParam("path") String path, String body,
      @QueryParam("force") boolean force) {
    String id = AppId.absolute(path);
    GroupReader.Group g = GroupReader.read(body, id);
    ServicesFramework f = framework.get();
    List<AppDefinition> current = f.read(s -> appsIn(s, id));
    List<AppDefinition> wanted = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    if (g.scaleBy() != null) {
      if (current.isEmpty()) {
        throw ServiceException.notFound("Group '" + id + "' does not exist");
      }
      for (AppDefinition a : current) {
        double scaled = Math.ceil(a.instances() * g.scaleBy());
        if (scaled > Limits.MAX_INSTANCES) {
          throw new ServiceException(422, "scaling " + a.id() + " by " + g.scaleBy() + " gives " + (long) scaled
              + " instances, more than " + Limits.MAX_INSTANCES, List.of(new io.trellis.api.ErrorBody.FieldError(
              "$.scaleBy", "gives " + a.id() + " " + (long) scaled + " instances, more than " + Limits.MAX_INSTANCES)),
              Map.of());
        }
        wanted.add(a.withInstances((int) scaled));
      }
    } else {
      g.apps().forEach(a -> wanted.add(a.app()));
      AppPolicy.check(request.get(), wanted, g.paths());
      TreeSet<String> kept = new TreeSet<>();
      wanted.forEach(a -> kept.add(a.id()));
      current.stream().map(AppDefinition::id).filter(a -> !kept.contains(a)).forEach(gone::add);
    }
    if (!force) {
      refuseLocked(f, wanted, gone);
    }
    List<AppCommandsResult> results = f.changeAll(wanted, gone, false, force, g.paths());
    return Http.withWarnings(Response.ok(), g.warnings()).type(MediaType.APPLICATION_JSON)
        .entity(result(results, g.warnings()).toString()).build();
  }

  @DELETE
  @Path("{path: .+}")
  public Response delete(@PathParam("path") String path, @QueryParam("force") boolean force) {
    String id = AppId.absolute(path);
    ServicesFramework f = framework.get();
    List<String> apps = f.read(s -> appsIn(s, id).stream().map(AppDefinition::id).toList());
    if (apps.isEmpty()) {
      throw ServiceException.notFound("Group '" + id + "' does not exist");
    }
    if (!force) {
      refuseLocked(f, List.of(), apps);
    }
    List<AppCommandsResult> results = new ArrayList<>();
    for (String appId : apps) {
      results.add(f.delete(appId, force));
    }
    return Http.json(200, result(results, List.of()));
  }

  /** One 409 before anything changes, rather than a group changed half-way. */
  private static void refuseLocked(ServicesFramework f, List<AppDefinition> changed,
      List<String> deleted) {
    List<String> ids = new ArrayList<>(deleted);
    changed.forEach(a -> ids.add(a.id()));
    List<String> locking = f.read(s -> {
      TreeSet<String> out = new TreeSet<>();
      for (String appId : ids) {
        s.deploymentsOf(appId).forEach(d -> out.add(d.id()));
      }
      return List.copyOf(out);
    });
    if (!locking.isEmpty()) {
      List<Map<String, Object>> deployments = new ArrayList<>();
      locking.forEach(d -> deployments.add(Map.of("id", d)));
      throw new ServiceException(409, "Group is locked by one or more deployments. Override with"
          + " the option '?force=true'. View details at '/v2/deployments/" + locking.get(0) + "'.",
          List.of(), Map.of("deployments", deployments));
    }
  }

  private static ObjectNode result(List<AppCommandsResult> results, List<String> warnings) {
    ObjectNode node = Views.MAPPER.createObjectNode();
    String version = null;
    ArrayNode ids = node.putArray("deploymentIds");
    for (AppCommandsResult r : results) {
      Deployment d = r.deployment();
      if (d != null) {
        ids.add(d.id());
      }
      version = r.app().version();
    }
    node.put("version", version);
    node.put("deploymentId", ids.isEmpty() ? null : ids.get(0).asText());
    Http.warnings(node, warnings);
    return node;
  }

  private static List<AppDefinition> appsIn(State s, String groupId) {
    String prefix = groupId.equals("/") ? "/" : groupId + "/";
    return s.apps().values().stream().filter(a -> a.id().startsWith(prefix)).toList();
  }

  /** A group as Marathon shows it: its own apps, and its subgroups, each the same way. */
  private static ObjectNode group(State s, String id, boolean tasks) {
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("id", id);
    ArrayNode apps = node.putArray("apps");
    TreeSet<String> subgroups = new TreeSet<>();
    String prefix = id.equals("/") ? "/" : id + "/";
    String version = null;
    for (AppDefinition a : appsIn(s, id)) {
      String rest = a.id().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        apps.add(Views.app(s, a, tasks));
      } else {
        subgroups.add(prefix + rest.substring(0, slash));
      }
      if (a.version() != null && (version == null || a.version().compareTo(version) > 0)) {
        version = a.version();
      }
    }
    ArrayNode groups = node.putArray("groups");
    subgroups.forEach(g -> groups.add(group(s, g, tasks)));
    node.putArray("pods");
    node.putArray("dependencies");
    node.put("version", version);
    return node;
  }
}
