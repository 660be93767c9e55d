package io.trellis.jobs.http;

import io.trellis.api.ErrorBody.FieldError;
import io.trellis.jobs.JobsException;
import io.trellis.jobs.job.Job;
import io.trellis.security.RequestSecurity;
import io.trellis.security.policy.ContainerPolicy;
import io.trellis.security.policy.Refusal;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container policy on jobs: a job whose definition asks for what its caller may not have (a
 * {@code runAsUser}, a host path or the Docker socket, the host network, a raw Docker parameter
 * and what it gives) is refused before it is stored, 403 naming each field and the grant it
 * needs (422 for a value no grant allows).
 */
final class JobPolicy {
  private static final Logger log = LoggerFactory.getLogger(JobPolicy.class);

  private JobPolicy() {}

  static ContainerPolicy of(Job job) {
    ContainerPolicy policy = new ContainerPolicy(job.name()).user("$.runAsUser", job.runAsUser());
    Job.Container c = job.container();
    if (c == null) {
      return policy;
    }
    if (c.type() == null || "DOCKER".equalsIgnoreCase(c.type())) {
      policy.network("$.container.network", c.network());
    }
    for (int i = 0; i < c.volumes().size(); i++) {
      Job.Volume v = c.volumes().get(i);
      policy.volume("$.container.volumes[" + i + "].hostPath", v == null ? null : v.hostPath());
    }
    for (int i = 0; i < c.parameters().size(); i++) {
      Job.Parameter p = c.parameters().get(i);
      policy.parameter("$.container.parameters[" + i + "]", p == null ? null : p.key(), p == null ? null : p.value());
    }
    return policy;
  }

  /** @throws JobsException 403 (or 422) naming every refused field */
  static void check(ContainerRequestContext request, Job job) {
    List<Refusal> refusals = of(job).refusals(RequestSecurity.principal(request),
        (action, object) -> RequestSecurity.decide(request, action, object));
    if (refusals.isEmpty()) {
      return;
    }
    List<FieldError> errors = refusals.stream().map(r -> new FieldError(r.path(), r.message())).toList();
    String message = "job '" + job.name() + "' refused by the container policy: " + errors.get(0).path() + ": "
        + errors.get(0).message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    log.warn("SECURITY: {}", message);
    throw new JobsException(ContainerPolicy.status(refusals), message, errors);
  }
}
