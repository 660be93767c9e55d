package io.trellis.master.http;

import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.security.RequestSecurity;
import io.trellis.security.policy.Refusal;
import io.trellis.security.policy.TaskPolicy;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container policy on an ACCEPT: the tasks a framework's principal may not launch (a
 * privileged container, a host path, a host namespace, an added capability, a raw Docker
 * parameter or a user it has no grant for), each with the fields and grants that refuse it.
 */
final class LaunchPolicy {
  private static final Logger log = LoggerFactory.getLogger(LaunchPolicy.class);

  private LaunchPolicy() {}

  /** The refused tasks of {@code call} by id with the reason; empty for any other call. */
  static Map<String, String> refusals(ContainerRequestContext request, SchedulerCall call) {
    if (call.type() != SchedulerCall.Type.ACCEPT || call.accept() == null || call.accept().launch() == null) {
      return Map.of();
    }
    Map<String, String> refused = new LinkedHashMap<>();
    List<TaskSpec> launches = call.accept().launch();
    for (int i = 0; i < launches.size(); i++) {
      TaskSpec task = launches.get(i);
      if (task == null || task.taskId() == null) {
        continue;
      }
      List<Refusal> refusals = TaskPolicy.of(task, "accept.launch[" + i + "]")
          .refusals(RequestSecurity.principal(request), (action, object) -> RequestSecurity.decide(request, action, object));
      if (!refusals.isEmpty()) {
        String reason = "task " + task.taskId() + " refused by the container policy: "
            + refusals.stream().map(r -> r.path() + ": " + r.message()).collect(Collectors.joining("; "));
        log.warn("SECURITY: {}", reason);
        refused.put(task.taskId(), reason);
      }
    }
    return refused;
  }
}
