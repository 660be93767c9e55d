package io.trellis.services.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.services.ServiceException;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppId;
import io.trellis.services.app.AppReader;
import io.trellis.services.app.ParsedApp;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.framework.ServicesFramework.AppCommandsResult;
import io.trellis.services.instance.Instance;
import io.trellis.services.store.ServiceStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import io.trellis.api.ErrorBody.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v2/apps}: list, create, and per app (ids are paths, so the suffix decides) get,
 * replace, patch, delete, {@code /restart}, {@code /tasks}, {@code /versions}.
 */
@Path("v2/apps")
@Produces(MediaType.APPLICATION_JSON)
public final class AppsResource {
  private static final Logger log = LoggerFactory.getLogger(AppsResource.class);
  private final Supplier<ServicesFramework> framework;
  private final ServiceStore store;

  /** The request being served (its caller, for the container policy). */
  @jakarta.ws.rs.core.Context
  private jakarta.inject.Provider<org.glassfish.jersey.server.ContainerRequest> request;

  AppsResource(Supplier<ServicesFramework> framework, ServiceStore store) {
    this.framework = framework;
    this.store = store;
  }

  @GET
  public Response list(@QueryParam("embed") List<String> embed, @QueryParam("id") String idFilter,
      @QueryParam("cmd") String cmdFilter, @QueryParam("label") String labelFilter) {
    boolean tasks = embed.contains("apps.tasks") || embed.contains("tasks");
    ArrayNode apps = framework.get().read(s -> {
      ArrayNode out = Views.MAPPER.createArrayNode();
      for (AppDefinition a : s.apps().values()) {
        if ((idFilter == null || a.id().contains(idFilter))
            && (cmdFilter == null || (a.cmd() != null && a.cmd().contains(cmdFilter)))
            && (labelFilter == null || hasLabel(a, labelFilter))) {
          out.add(Views.app(s, a, tasks));
        }
      }
      return out;
    });
    ObjectNode body = Views.MAPPER.createObjectNode();
    body.set("apps", apps);
    return Http.json(200, body);
  }

  private static boolean hasLabel(AppDefinition a, String filter) {
    String[] kv = filter.split("==", 2);
    String value = a.labels().get(kv[0].trim());
    return value != null && (kv.length == 1 || value.equals(kv[1].trim()));
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response create(String body, @QueryParam("force") boolean force) {
    ParsedApp parsed = AppReader.read(body);
    AppPolicy.check(request.get(), List.of(parsed.app()), Map.of());
    AppCommandsResult r = framework.get().create(parsed.app());
    logWarnings(r.app().id(), parsed.warnings());
    ObjectNode json = framework.get().read(s -> Views.app(s, s.app(r.app().id()) == null ? r.app() : s.app(r.app().id()), false));
    Http.warnings(json, parsed.warnings());
    return Http.withWarnings(Response.created(URI.create("/v2/apps" + r.app().id())), parsed.warnings())
        .type(MediaType.APPLICATION_JSON).entity(json.toString()).build();
  }

  /**
   * Marathon's batch change: an array of apps, each created or (partially, unless
   * {@code ?partialUpdate=false}) updated, dependencies first, refused as a whole.
   */
  @PUT
  @Consumes(MediaType.WILDCARD)
  public Response putAll(String body, @QueryParam("force") boolean force,
      @QueryParam("partialUpdate") Optional<Boolean> partial) {
    JsonNode list = AppReader.tree(body);
    if (!list.isArray()) {
      throw new ServiceException(422, "PUT /v2/apps takes an array of apps (PUT /v2/apps/{id} changes one)",
          List.of(new FieldError("$", "must be an array")), Map.of());
    }
    List<AppDefinition> apps = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> paths = new HashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "$[" + i + "]";
      JsonNode node = list.get(i);
      String id = node.path("id").isTextual() ? AppId.absolute(node.path("id").asText()) : null;
      String problem = AppId.problem(id);
      if (problem != null || paths.containsKey(id)) {
        errors.add(new FieldError(at + ".id", problem != null ? problem : "'" + id + "' is also " + paths.get(id)));
        continue;
      }
      paths.put(id, at);
      AppDefinition current = framework.get().read(s -> s.app(id));
      JsonNode merged = current != null && partial.orElse(true) ? AppReader.merge(AppReader.toTree(current), node) : node;
      try {
        ParsedApp parsed = AppReader.read(merged, id);
        apps.add(parsed.app());
        parsed.warnings().forEach(w -> warnings.add(at + w.substring(1)));
      } catch (ServiceException e) {
        e.errors().forEach(f -> errors.add(new FieldError(at + f.path().substring(1), f.message())));
        if (e.errors().isEmpty()) {
          errors.add(new FieldError(at, e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw ServiceException.invalid(errors);
    }
    AppPolicy.check(request.get(), apps, paths);
    List<AppCommandsResult> results = framework.get().changeAll(apps, List.of(), false, force, paths);
    logWarnings("(batch)", warnings);
    ObjectNode json = Http.deploymentResult(results.isEmpty() ? null : results.get(0).app().version(),
        results.isEmpty() ? null : results.get(0).deployment().id(), warnings);
    ArrayNode ids = json.putArray("deploymentIds");
    results.forEach(r -> ids.add(r.deployment().id()));
    return Http.withWarnings(Response.ok(), warnings).type(MediaType.APPLICATION_JSON).entity(json.toString()).build();
  }

  @GET
  @Path("{path: .+}")
  public Response get(@PathParam("path") String path, @QueryParam("embed") List<String> embed) {
    String id = AppId.absolute(path);
    if (exists(id)) {
      return Http.json(200, Views.MAPPER.createObjectNode().set("app", framework.get().read(s -> Views.app(s, s.app(id), true))));
    }
    if (id.endsWith("/tasks") && exists(parent(id, "/tasks"))) {
      String app = parent(id, "/tasks");
      return Http.json(200, Views.MAPPER.createObjectNode().set("tasks", framework.get().read(s -> {
        ArrayNode out = Views.MAPPER.createArrayNode();
        s.instancesOf(app).forEach(i -> out.add(Views.task(i, s.app(app))));
        return out;
      })));
    }
    if (id.endsWith("/versions") && exists(parent(id, "/versions"))) {
      ArrayNode versions = Views.MAPPER.createArrayNode();
      List<String> all = new ArrayList<>(store.versions(parent(id, "/versions")));
      java.util.Collections.reverse(all);
      all.forEach(versions::add);
      return Http.json(200, Views.MAPPER.createObjectNode().set("versions", versions));
    }
    int v = id.lastIndexOf("/versions/");
    if (v > 0 && exists(id.substring(0, v))) {
      String app = id.substring(0, v);
      String version = id.substring(v + "/versions/".length());
      return store.version(app, version).map(a -> Http.json(200, AppReader.view(a)))
          .orElseThrow(() -> ServiceException.notFound("App '" + app + "' has no version " + version));
    }
    throw notFound(id);
  }

  @PUT
  @Path("{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Response put(@PathParam("path") String path, String body, @QueryParam("force") boolean force,
      @QueryParam("partialUpdate") Optional<Boolean> partial) {
    return replace(AppId.absolute(path), body, force, partial.orElse(true));
  }

  @PATCH
  @Path("{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Response patch(@PathParam("path") String path, String body, @QueryParam("force") boolean force) {
    String id = AppId.absolute(path);
    if (!exists(id)) {
      throw notFound(id);
    }
    return replace(id, body, force, true);
  }

  private Response replace(String id, String body, boolean force, boolean partial) {
    String problem = AppId.problem(id);
    if (problem != null) {
      throw new ServiceException(422, "invalid app id in the URL: " + problem,
          List.of(new io.trellis.api.ErrorBody.FieldError("$.id", problem)), java.util.Map.of());
    }
    JsonNode patch = AppReader.tree(body);
    AppDefinition current = framework.get().read(s -> s.app(id));
    JsonNode merged = current != null && partial ? AppReader.merge(AppReader.toTree(current), patch) : patch;
    ParsedApp parsed = AppReader.read(merged, id);
    AppPolicy.check(request.get(), List.of(parsed.app()), Map.of());
    AppCommandsResult r = framework.get().update(parsed.app(), force);
    logWarnings(id, parsed.warnings());
    ObjectNode json = Http.deploymentResult(r.app().version(), r.deployment().id(), parsed.warnings());
    return Http.withWarnings(Response.status(current == null ? 201 : 200), parsed.warnings())
        .type(MediaType.APPLICATION_JSON).entity(json.toString()).build();
  }

  @POST
  @Path("{path: .+}")
  @Consumes(MediaType.WILDCARD)
  public Response post(@PathParam("path") String path, @QueryParam("force") boolean force) {
    String id = AppId.absolute(path);
    if (id.endsWith("/restart")) {
      AppCommandsResult r = framework.get().restart(parent(id, "/restart"), force);
      return Http.json(200, Http.deploymentResult(r.app().version(), r.deployment().id(), List.of()));
    }
    throw new ServiceException(404, "no such endpoint: POST /v2/apps" + id + " (POST /v2/apps creates an app; POST /v2/apps/{id}/restart restarts one)");
  }

  @DELETE
  @Path("{path: .+}")
  public Response delete(@PathParam("path") String path, @QueryParam("force") boolean force,
      @QueryParam("scale") boolean scale, @QueryParam("host") String host, @QueryParam("wipe") boolean wipe) {
    String id = AppId.absolute(path);
    if (exists(id)) {
      AppCommandsResult r = framework.get().delete(id, force);
      return Http.json(200, Http.deploymentResult(r.app().version(), r.deployment().id(), List.of()));
    }
    if (id.endsWith("/tasks") && exists(parent(id, "/tasks"))) {
      String app = parent(id, "/tasks");
      List<String> ids = framework.get().read(s -> s.instancesOf(app).stream()
          .filter(i -> host == null || host.equals(i.hostname())).map(Instance::taskId).toList());
      return killed(framework.get().kill(ids, scale, force), scale);
    }
    int t = id.lastIndexOf("/tasks/");
    if (t > 0 && exists(id.substring(0, t))) {
      String app = id.substring(0, t);
      String taskId = id.substring(t + "/tasks/".length());
      boolean belongs = framework.get().read(s -> s.instances().containsKey(taskId) && s.instances().get(taskId).appId().equals(app));
      if (!belongs) {
        throw ServiceException.notFound("Task '" + taskId + "' does not exist in app '" + app + "'");
      }
      List<Instance> killed = framework.get().kill(List.of(taskId), scale, force);
      if (scale) {
        return killed(killed, true);
      }
      return Http.json(200, Views.MAPPER.createObjectNode().set("task",
          framework.get().read(s -> Views.task(killed.get(0), s.app(app)))));
    }
    throw notFound(id);
  }

  private Response killed(List<Instance> killed, boolean scale) {
    if (scale) {
      String app = killed.isEmpty() ? null : killed.get(0).appId();
      ObjectNode r = framework.get().read(s -> {
        AppDefinition a = app == null ? null : s.app(app);
        String dep = a == null || s.deploymentsOf(app).isEmpty() ? null : s.deploymentsOf(app).get(0).id();
        return Http.deploymentResult(a == null ? null : a.version(), dep, List.of());
      });
      return Http.json(200, r);
    }
    ArrayNode tasks = framework.get().read(s -> {
      ArrayNode out = Views.MAPPER.createArrayNode();
      killed.forEach(i -> out.add(Views.task(i, s.app(i.appId()))));
      return out;
    });
    return Http.json(200, Views.MAPPER.createObjectNode().set("tasks", tasks));
  }

  private boolean exists(String id) {
    return framework.get().read(s -> s.app(id) != null);
  }

  private static String parent(String id, String suffix) {
    return id.substring(0, id.length() - suffix.length());
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("App '" + id + "' does not exist");
  }

  private static void logWarnings(String id, List<String> warnings) {
    if (!warnings.isEmpty()) {
      log.info("app {}: {}", id, String.join("; ", warnings));
    }
  }
}
