package io.trellis.services.http;

import io.trellis.api.ErrorBody.FieldError;
import io.trellis.security.RequestSecurity;
import io.trellis.security.policy.ContainerPolicy;
import io.trellis.security.policy.Refusal;
import io.trellis.services.ServiceException;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.Container;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container policy on apps: an app whose definition asks for what its caller may not have
 * (a privileged container, a host path or the Docker socket, the host network, an added
 * capability, a raw Docker parameter, a user) is refused before anything is stored, 403 naming
 * each field and the grant it needs (422 for a value no grant allows).
 */
final class AppPolicy {
  private static final Logger log = LoggerFactory.getLogger(AppPolicy.class);

  private AppPolicy() {}

  /** What {@code app} asks of the host; paths start with {@code at} ({@code $} or {@code $.apps[2]}). */
  static ContainerPolicy of(AppDefinition app, String at) {
    ContainerPolicy policy = new ContainerPolicy(app.id()).user(at + ".user", app.user());
    Container c = app.container();
    if (c == null) {
      return policy;
    }
    List<Map<String, Object>> volumes = c.volumes() == null ? List.of() : c.volumes();
    for (int i = 0; i < volumes.size(); i++) {
      Object host = volumes.get(i) == null ? null : volumes.get(i).get("hostPath");
      policy.volume(at + ".container.volumes[" + i + "].hostPath", host == null ? null : host.toString());
    }
    if (c.docker() != null) {
      policy.privileged(at + ".container.docker.privileged", c.docker().privileged());
      if (c.usesDocker()) {
        policy.network(at + ".container.docker.network", c.network());
      }
      List<Map<String, String>> parameters = c.docker().parameters() == null ? List.of() : c.docker().parameters();
      for (int i = 0; i < parameters.size(); i++) {
        Map<String, String> p = parameters.get(i) == null ? Map.of() : parameters.get(i);
        policy.parameter(at + ".container.docker.parameters[" + i + "]", p.get("key"), p.get("value"));
      }
    }
    return policy;
  }

  /**
   * Refuses the change unless the caller may have everything the apps ask for.
   *
   * @param paths where each app is in the request body, by app id ({@code $} when absent)
   * @throws ServiceException 403 (or 422) naming every refused field
   */
  static void check(ContainerRequestContext request, List<AppDefinition> apps, Map<String, String> paths) {
    List<FieldError> errors = new ArrayList<>();
    List<Refusal> all = new ArrayList<>();
    for (AppDefinition app : apps) {
      String at = paths.getOrDefault(app.id(), "$");
      List<Refusal> refusals = of(app, at).refusals(RequestSecurity.principal(request),
          (action, object) -> RequestSecurity.decide(request, action, object));
      all.addAll(refusals);
      refusals.forEach(r -> errors.add(new FieldError(r.path(), r.message())));
    }
    if (errors.isEmpty()) {
      return;
    }
    String message = "refused by the container policy: " + errors.get(0).path() + ": " + errors.get(0).message()
        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more, see details)" : "");
    log.warn("SECURITY: {}", message);
    throw new ServiceException(ContainerPolicy.status(all), message, errors, Map.of());
  }
}
