package io.trellis.jobs.http;

import io.trellis.jobs.engine.JobEngine;
import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The jobs API, after Chronos's {@code /v1/scheduler} (also served under {@code /scheduler}, as
 * older clients call it). Writes answer 204 like Chronos; errors are JSON bodies.
 */
@Path("/{base: (v1/)?scheduler}")
@Produces(MediaType.APPLICATION_JSON)
public final class SchedulerResource {
  private final EngineAccess engine;

  /** The request being served (its caller, for the container policy). */
  @jakarta.ws.rs.core.Context
  private jakarta.inject.Provider<org.glassfish.jersey.server.ContainerRequest> request;

  public SchedulerResource(EngineAccess engine) {
    this.engine = engine;
  }

  @POST
  @Path("iso8601")
  public Response createScheduled(String body) {
    return put(body, false);
  }

  @PUT
  @Path("iso8601")
  public Response updateScheduled(String body) {
    return put(body, false);
  }

  @POST
  @Path("dependency")
  public Response createDependent(String body) {
    return put(body, true);
  }

  @PUT
  @Path("dependency")
  public Response updateDependent(String body) {
    return put(body, true);
  }

  private Response put(String body, boolean dependent) {
    Job parsed = Bodies.parse(body, Job.class, "job definition");
    JobPolicy.check(request.get(), parsed);
    engine.call(e -> {
      // A secret sent back without its value (as read APIs show it) keeps the stored one.
      Job stored = parsed.name() == null ? null : e.jobs().stream().filter(j -> parsed.name().equals(j.name()))
          .findFirst().orElse(null);
      e.put(parsed.withSecretsOf(stored), dependent);
      return null;
    });
    return Response.noContent().build();
  }

  /** Chronos's leader endpoint, with whether this instance leads and has recovered. */
  @GET
  @Path("leader")
  public String leader() {
    return Bodies.json(engine.readiness());
  }

  @GET
  @Path("jobs")
  public String jobs() {
    return Bodies.json(engine.call(JobEngine::jobs).stream().map(Job::shown).toList());
  }

  @GET
  @Path("jobs/search")
  public String search(@QueryParam("name") String name, @QueryParam("command") String command,
      @QueryParam("any") String any, @QueryParam("limit") @DefaultValue("10000") int limit,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    List<Job> found = new ArrayList<>();
    for (Job j : engine.call(JobEngine::jobs)) {
      if (contains(j.name(), name) && contains(j.command(), command)
          && (any == null || contains(j.name(), any) || contains(j.command(), any)
          || contains(j.description(), any) || contains(j.owner(), any))) {
        found.add(j);
      }
    }
    int from = Math.min(Math.max(0, offset), found.size());
    int to = Math.min(found.size(), from + Math.max(0, limit));
    return Bodies.json(found.subList(from, to).stream().map(Job::shown).toList());
  }

  private static boolean contains(String value, String wanted) {
    return wanted == null || (value != null && value.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT)));
  }

  @GET
  @Path("job/{name}")
  public String job(@PathParam("name") String name) {
    return Bodies.json(engine.call(e -> e.job(name)).shown());
  }

  @PUT
  @Path("job/{name}")
  public Response runNow(@PathParam("name") String name, @QueryParam("arguments") List<String> arguments) {
    engine.call(e -> e.runNow(name, arguments == null ? List.of() : arguments));
    return Response.noContent().build();
  }

  @POST
  @Path("job/{name}")
  public Response runNowPost(@PathParam("name") String name, @QueryParam("arguments") List<String> arguments) {
    return runNow(name, arguments);
  }

  @DELETE
  @Path("job/{name}")
  public Response delete(@PathParam("name") String name) {
    engine.call(e -> {
      e.delete(name);
      return null;
    });
    return Response.noContent().build();
  }

  @GET
  @Path("job/{name}/history")
  public String history(@PathParam("name") String name) {
    List<Run> runs = engine.call(e -> e.history(name));
    return Bodies.json(runs.stream().map(RunView::of).toList());
  }

  @POST
  @Path("job/success/{name}")
  public Response asyncSuccess(@PathParam("name") String name) {
    engine.call(e -> e.asyncSuccess(name));
    return Response.noContent().build();
  }

  @PUT
  @Path("job/success/{name}")
  public Response asyncSuccessPut(@PathParam("name") String name) {
    return asyncSuccess(name);
  }

  @DELETE
  @Path("task/kill/{name}")
  public Response kill(@PathParam("name") String name) {
    engine.call(e -> e.killTasks(name));
    return Response.noContent().build();
  }

  @GET
  @Path("job/stat/{name}")
  public String stats(@PathParam("name") String name) {
    return Bodies.json(Stats.of(engine.call(e -> e.history(name))));
  }

  @GET
  @Path("graph/dot")
  @Produces(MediaType.TEXT_PLAIN)
  public String dot() {
    List<Job> jobs = engine.call(JobEngine::jobs);
    StringBuilder b = new StringBuilder("digraph G {\n");
    for (Job j : jobs) {
      b.append("  \"").append(escape(j.name())).append("\";\n");
    }
    for (Job j : jobs) {
      for (String p : j.parents()) {
        b.append("  \"").append(escape(p)).append("\" -> \"").append(escape(j.name())).append("\";\n");
      }
    }
    return b.append("}\n").toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @GET
  @Path("jobs/summary")
  public String summary() {
    List<Map<String, Object>> out = engine.call(e -> {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Job j : e.jobs()) {
        JobStatus s = e.status(j.name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", j.name());
        m.put("status", status(s));
        m.put("state", state(e.active(j.name())));
        m.put("schedule", j.isDependent() ? "" : j.schedule());
        m.put("parents", j.parents());
        m.put("disabled", j.isDisabled());
        m.put("nextRun", e.nextSlot(j.name()).map(Object::toString).orElse(""));
        list.add(m);
      }
      return list;
    });
    return Bodies.json(Map.of("jobs", out));
  }

  private static String status(JobStatus s) {
    if (s.lastSuccess() == null && s.lastError() == null) {
      return "fresh";
    }
    long success = s.lastSuccess() == null ? Long.MIN_VALUE : s.lastSuccess();
    long error = s.lastError() == null ? Long.MIN_VALUE : s.lastError();
    return success >= error ? "success" : "failure";
  }

  private static String state(Collection<Run> active) {
    long running = active.stream().filter(r -> r.state() == RunState.RUNNING || r.state() == RunState.WAITING_ASYNC).count();
    if (running > 0) {
      return running == 1 ? "running" : running + " running";
    }
    return active.isEmpty() ? "idle" : "queued";
  }
}
