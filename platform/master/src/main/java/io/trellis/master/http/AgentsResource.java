package io.trellis.master.http;

import io.trellis.api.AgentProtocol;
import io.trellis.master.Master;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The endpoints agents call: register, heartbeat and status updates. */
@Path("/internal/agents")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public final class AgentsResource {
  private final io.trellis.master.MasterRef ref;

  public AgentsResource(io.trellis.master.MasterRef ref) {
    this.ref = ref;
  }

  private Master master() {
    return ref.get();
  }

  @POST
  @Path("register")
  public String register(String body) {
    AgentProtocol.Register r = Bodies.parse(body, AgentProtocol.Register.class);
    return Bodies.json(Bodies.await(master().loop().submit(() -> master().register(r))));
  }

  /** 200 when known; 404 tells the agent to register again. */
  @POST
  @Path("heartbeat")
  public Response heartbeat(String body) {
    AgentProtocol.Heartbeat h = Bodies.parse(body, AgentProtocol.Heartbeat.class);
    boolean known = Bodies.await(master().loop().submit(() -> master().heartbeat(h.agentId())));
    return known ? Response.ok("{}").build()
        : Response.status(404).entity(Bodies.json(new io.trellis.api.ErrorBody(404,
            "agent " + h.agentId() + " is not registered with this master: register again", null))).build();
  }

  @POST
  @Path("update")
  public Response update(String body) {
    AgentProtocol.Update u = Bodies.parse(body, AgentProtocol.Update.class);
    Bodies.await(master().loop().submit(() -> {
      master().agentUpdate(u);
      return null;
    }));
    return Response.accepted().build();
  }

  /** Many updates of one agent in one call, handled in order on one turn of the event loop. */
  @POST
  @Path("updates")
  public Response updates(String body) {
    AgentProtocol.Updates batch = Bodies.parse(body, AgentProtocol.Updates.class);
    java.util.List<io.trellis.api.ErrorBody.FieldError> errors = new java.util.ArrayList<>();
    for (int i = 0; i < batch.updates().size(); i++) {
      AgentProtocol.Update u = batch.updates().get(i);
      if (u == null || u.status() == null || u.frameworkId() == null || u.status().taskId() == null) {
        errors.add(new io.trellis.api.ErrorBody.FieldError("updates[" + i + "]",
            "needs frameworkId, status and status.taskId"));
      }
    }
    if (!errors.isEmpty()) {
      throw new io.trellis.master.ApiException(422, errors.size() + " invalid update(s); none was taken", errors);
    }
    Bodies.await(master().loop().submit(() -> {
      for (AgentProtocol.Update u : batch.updates()) {
        master().agentUpdate(u.agentId() == null ? new AgentProtocol.Update(batch.agentId(), u.frameworkId(), u.status()) : u);
      }
      return null;
    }));
    return Response.accepted().build();
  }
}
