package io.trellis.services.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.ServiceException;
import io.trellis.services.app.AppReader;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.instance.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /v2/tasks}: every instance, and {@code /v2/tasks/delete} to kill some. */
@Path("v2/tasks")
@Produces(MediaType.APPLICATION_JSON)
public final class TasksResource {
  private final Supplier<ServicesFramework> framework;

  TasksResource(Supplier<ServicesFramework> framework) {
    this.framework = framework;
  }

  @GET
  public Response list(@QueryParam("status") String status) {
    ArrayNode tasks = framework.get().read(s -> {
      ArrayNode out = Views.MAPPER.createArrayNode();
      for (Instance i : s.instances().values()) {
        if (status == null || ("TASK_" + i.state()).equalsIgnoreCase(status) || i.state().name().equalsIgnoreCase(status)) {
          out.add(Views.task(i, s.app(i.appId())));
        }
      }
      return out;
    });
    ObjectNode body = Views.MAPPER.createObjectNode();
    body.set("tasks", tasks);
    return Http.json(200, body);
  }

  @POST
  @Path("delete")
  @Consumes(MediaType.WILDCARD)
  public Response delete(String body, @QueryParam("scale") boolean scale, @QueryParam("force") boolean force) {
    JsonNode ids = AppReader.tree(body).get("ids");
    if (ids == null || !ids.isArray()) {
      throw new ServiceException(422, "the body must be {\"ids\": [task ids]}",
          List.of(new FieldError("$.ids", "must be an array of task ids")), Map.of());
    }
    List<String> list = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).isTextual()) {
        list.add(ids.get(i).asText());
      } else {
        errors.add(new FieldError("$.ids[" + i + "]", "must be a string"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ServiceException(422, "invalid task ids", errors, Map.of());
    }
    framework.get().kill(list, scale, force);
    return Http.json(200, "{}");
  }
}
