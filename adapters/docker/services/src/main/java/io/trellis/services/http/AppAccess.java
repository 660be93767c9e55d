package io.trellis.services.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.security.Action;
import io.trellis.security.BodyPeek;
import io.trellis.security.RequestSecurity;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppId;
import io.trellis.services.app.AppReader;
import io.trellis.services.framework.ServicesFramework;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every change through the {@code /v2} API needs {@code manage_apps} on what it changes, checked
 * before the endpoint runs: an app's id ({@code /dev/web}); a group's id followed by '/'
 * ({@code /dev/}, which a rule's {@code /dev/*} matches); the app of each task a task deletion
 * names; {@code /} (every app) for what may touch any app, such as cancelling a deployment, and
 * for any change this filter cannot place. An id it cannot read from the body is checked as the
 * empty string, which only a rule for every object ({@code *}) allows; the endpoint then refuses
 * the body itself. Runs after a standby passed the call on to the leader.
 */
@PreMatching
@Priority(200)
final class AppAccess implements ContainerRequestFilter {
  private final Supplier<ServicesFramework> framework;

  AppAccess(Supplier<ServicesFramework> framework) {
    this.framework = framework;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (!RequestSecurity.securedChange(request)) {
      return;
    }
    for (String object : objects(request, request.getUriInfo().getPath().replaceFirst("^/+", ""))) {
      RequestSecurity.require(request, Action.MANAGE_APPS, object);
    }
  }

  private Set<String> objects(ContainerRequestContext request, String path) throws IOException {
    Set<String> objects = new LinkedHashSet<>();
    if (path.equals("v2/apps")) {
      JsonNode body = BodyPeek.json(request, AppReader.MAX_BODY);
      if (body != null && body.isArray()) {
        body.forEach(app -> objects.add(id(app)));
      } else {
        objects.add(id(body));
      }
    } else if (path.startsWith("v2/apps/")) {
      objects.add(AppId.absolute(path.substring("v2/apps/".length()))
          .replaceFirst("/restart$", "").replaceFirst("/(tasks|versions)(/.*)?$", ""));
    } else if (path.equals("v2/groups")) {
      JsonNode body = BodyPeek.json(request, AppReader.MAX_BODY);
      String id = id(body);
      objects.add(id.isEmpty() ? id : id.equals("/") ? "/" : id + "/");
    } else if (path.startsWith("v2/groups/")) {
      String id = AppId.absolute(path.substring("v2/groups/".length()));
      objects.add(id.equals("/") ? "/" : id + "/");
    } else if (path.equals("v2/tasks/delete")) {
      JsonNode body = BodyPeek.json(request, AppReader.MAX_BODY);
      JsonNode ids = body == null ? null : body.get("ids");
      if (ids == null || !ids.isArray()) {
        objects.add("");
      } else {
        ids.forEach(t -> objects.add(appOfTask(t.asText())));
      }
    } else {
      objects.add("/");
    }
    return objects;
  }

  private static String id(JsonNode node) {
    JsonNode id = node == null ? null : node.get("id");
    return id != null && id.isTextual() ? AppId.absolute(id.asText()) : "";
  }

  /** The app a task id belongs to ({@code <app prefix>.<uuid>}), or the task id when no app has it. */
  private String appOfTask(String taskId) {
    int dot = taskId.lastIndexOf('.');
    String prefix = dot < 0 ? taskId : taskId.substring(0, dot);
    ServicesFramework f;
    try {
      f = framework.get();
    } catch (RuntimeException notLeading) {
      return taskId;
    }
    return f.read(s -> s.apps().values().stream().map(AppDefinition::id)
        .filter(id -> AppId.taskPrefix(id).equals(prefix)).findFirst().orElse(taskId));
  }
}
