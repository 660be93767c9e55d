package io.trellis.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.agent.AgentApi;
import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The agent's endpoints. */
@Path("/")
public final class AgentResource {
  private final AgentApi api;

  public AgentResource(AgentApi api) {
    this.api = api;
  }

  @POST
  @Path("internal/tasks/launch")
  @Consumes(MediaType.WILDCARD)
  public Response launch(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    api.launch(parse(body, AgentProtocol.Launch.class), epoch);
    return Response.accepted().build();
  }

  /** Many launches in one call, started in order. */
  @POST
  @Path("internal/tasks/launches")
  @Consumes(MediaType.WILDCARD)
  public Response launches(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    AgentProtocol.Launches launches = parse(body, AgentProtocol.Launches.class, MAX_BATCH_BODY);
    requireEntries(launches.launches(), "launches");
    api.launch(launches, epoch);
    return Response.accepted().build();
  }

  @POST
  @Path("internal/tasks/kill")
  @Consumes(MediaType.WILDCARD)
  public Response kill(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    api.kill(parse(body, AgentProtocol.Kill.class), epoch);
    return Response.accepted().build();
  }

  /** Many kills in one call (a framework torn down, say). */
  @POST
  @Path("internal/tasks/kills")
  @Consumes(MediaType.WILDCARD)
  public Response kills(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    AgentProtocol.Kills kills = parse(body, AgentProtocol.Kills.class, MAX_BATCH_BODY);
    requireEntries(kills.kills(), "kills");
    api.kill(kills, epoch);
    return Response.accepted().build();
  }

  @POST
  @Path("internal/tasks/acknowledge")
  @Consumes(MediaType.WILDCARD)
  public Response acknowledge(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    api.acknowledge(parse(body, AgentProtocol.Acknowledge.class), epoch);
    return Response.accepted().build();
  }

  /** Many acknowledgements in one call. */
  @POST
  @Path("internal/tasks/acknowledgements")
  @Consumes(MediaType.WILDCARD)
  public Response acknowledgements(String body, @HeaderParam(AgentProtocol.EPOCH_HEADER) String epoch) {
    AgentProtocol.Acknowledgements acks = parse(body, AgentProtocol.Acknowledgements.class, MAX_BATCH_BODY);
    requireEntries(acks.acknowledgements(), "acknowledgements");
    api.acknowledge(acks, epoch);
    return Response.accepted().build();
  }

  /**
   * Reads a sandbox file: {@code GET /files/read?framework=F&task=T&file=stdout&offset=0&length=65536}.
   * A negative offset reads the last bytes (tail). Answers {@code {"data": ..., "offset": N}}
   * where offset is where the data starts; follow a file by asking again from offset + length.
   */
  @GET
  @Path("files/read")
  @Produces(MediaType.APPLICATION_JSON)
  public String read(@QueryParam("framework") String framework, @QueryParam("task") String task,
      @QueryParam("file") @DefaultValue("stdout") String file, @QueryParam("offset") @DefaultValue("0") String offset,
      @QueryParam("length") @DefaultValue("65536") String length,
      @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request) {
    io.trellis.security.RequestSecurity.require(request, io.trellis.security.Action.READ_SANDBOX,
        framework == null ? "" : framework);
    return json(api.read(framework, task, file, number(offset, "offset"), (int) Math.min(Integer.MAX_VALUE,
        Math.max(Integer.MIN_VALUE, number(length, "length")))));
  }

  /**
   * Lists a task's sandbox: {@code GET /files/browse?framework=F&task=T} answers
   * {@code [{"path", "size", "modified", "directory", "link"}]}, three levels deep at most.
   */
  @GET
  @Path("files/browse")
  @Produces(MediaType.APPLICATION_JSON)
  public String browse(@QueryParam("framework") String framework, @QueryParam("task") String task,
      @jakarta.ws.rs.core.Context jakarta.ws.rs.container.ContainerRequestContext request) {
    io.trellis.security.RequestSecurity.require(request, io.trellis.security.Action.READ_SANDBOX,
        framework == null ? "" : framework);
    return json(api.browse(framework, task));
  }

  /** A whole number given in a query parameter, or a 400 naming the parameter. */
  private static long number(String value, String name) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
      throw new BadRequestException(name + " must be a whole number of bytes, got '" + shown + "'");
    }
  }

  @GET
  @Path("state")
  @Produces(MediaType.APPLICATION_JSON)
  public String state() {
    return json(api.state());
  }

  @GET
  @Path("health")
  @Produces(MediaType.APPLICATION_JSON)
  public String health() {
    return "{\"status\":\"ok\"}";
  }

  private static void requireEntries(java.util.List<?> entries, String field) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i) == null) {
        throw new BadRequestException(field + "[" + i + "] is empty");
      }
    }
  }

  /** A single launch, kill or acknowledgement is far smaller than this; a batch may be larger. */
  private static final int MAX_BODY = 1024 * 1024;
  private static final int MAX_BATCH_BODY = 16 * MAX_BODY;

  private static <T> T parse(String body, Class<T> type) {
    return parse(body, type, MAX_BODY);
  }

  private static <T> T parse(String body, Class<T> type, int maxBytes) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("the request body is empty: send a JSON " + type.getSimpleName());
    }
    if (body.length() > maxBytes) {
      throw new jakarta.ws.rs.WebApplicationException("the request body exceeds " + maxBytes + " bytes", 413);
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new BadRequestException(Json.unparsable(type.getSimpleName(), e));
    }
  }

  private static String json(Object o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
