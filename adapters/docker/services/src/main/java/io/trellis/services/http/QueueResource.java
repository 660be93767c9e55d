package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.services.framework.ServicesFramework;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

/** {@code /v2/queue}: apps waiting for instances to launch, and why. */
@Path("v2/queue")
@Produces(MediaType.APPLICATION_JSON)
public final class QueueResource {
  private final Supplier<ServicesFramework> framework;

  QueueResource(Supplier<ServicesFramework> framework) {
    this.framework = framework;
  }

  @GET
  public Response queue() {
    ArrayNode entries = framework.get().read(s -> {
      ArrayNode out = Views.MAPPER.createArrayNode();
      s.queue().values().forEach(q -> out.add(Views.queueEntry(s, q)));
      return out;
    });
    ObjectNode body = Views.MAPPER.createObjectNode();
    body.set("queue", entries);
    return Http.json(200, body);
  }
}
