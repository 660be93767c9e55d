package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.framework.ServicesFramework;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;

/** {@code /v2/deployments}: what is being rolled out, and cancelling (rollback unless forced). */
@Path("v2/deployments")
@Produces(MediaType.APPLICATION_JSON)
public final class DeploymentsResource {
  private final Supplier<ServicesFramework> framework;

  DeploymentsResource(Supplier<ServicesFramework> framework) {
    this.framework = framework;
  }

  @GET
  public Response list() {
    return Http.json(200, framework.get().read(s -> {
      ArrayNode out = Views.MAPPER.createArrayNode();
      s.deployments().values().forEach(d -> out.add(Views.deployment(s, d)));
      return out;
    }));
  }

  @DELETE
  @Path("{id}")
  public Response cancel(@PathParam("id") String id, @QueryParam("force") boolean force) {
    Deployment rollback = framework.get().cancel(id, force);
    if (rollback == null) {
      return Response.status(202).build();
    }
    return Http.json(200, Http.deploymentResult(rollback.version(), rollback.id(), List.of()));
  }
}
