package io.trellis.master.http;

import io.trellis.api.AgentProtocol;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.core.id.DirectoryName;
import io.trellis.core.resource.Resources;
import io.trellis.master.ApiException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an agent's registration must hold before the master takes it: an id that can name a
 * directory, a host name, an http(s) endpoint, resources in the Mesos text form and attributes
 * of sane size. A registration that fails is a 422 naming each bad field; nothing is recorded.
 */
final class Registrations {
  static final int MAX_TEXT = 1024;
  static final int MAX_ATTRIBUTES = 256;

  private Registrations() {}

  static void check(AgentProtocol.Register r) {
    List<FieldError> errors = new ArrayList<>();
    if (r.agentId() != null && r.agentId().isBlank()) {
      errors.add(new FieldError("agentId", "is blank: leave it out to get a new id"));
    } else if (r.agentId() != null && DirectoryName.problem(r.agentId()) != null) {
      errors.add(new FieldError("agentId", DirectoryName.problem(r.agentId())));
    }
    text(errors, "hostname", r.hostname());
    if (text(errors, "endpoint", r.endpoint())) {
      String problem = endpointProblem(r.endpoint());
      if (problem != null) {
        errors.add(new FieldError("endpoint", problem));
      }
    }
    if (r.resources() == null || r.resources().isBlank()) {
      errors.add(new FieldError("resources", "is required, e.g. cpus:4;mem:8192;disk:100000;ports:[31000-32000]"));
    } else if (r.resources().length() > MAX_TEXT * 64) {
      errors.add(new FieldError("resources", "is " + r.resources().length() + " characters long, more than " + MAX_TEXT * 64));
    } else {
      try {
        tasks(r.tasks(), Resources.parse(r.resources()), errors);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("resources", e.getMessage()));
      }
    }
    Map<String, String> attributes = r.attributes() == null ? Map.of() : r.attributes();
    if (attributes.size() > MAX_ATTRIBUTES) {
      errors.add(new FieldError("attributes", "holds " + attributes.size() + " entries, more than " + MAX_ATTRIBUTES));
    }
    if (attributes.entrySet().stream().anyMatch(e -> e.getKey().length() > MAX_TEXT
        || (e.getValue() != null && e.getValue().length() > MAX_TEXT))) {
      errors.add(new FieldError("attributes", "an entry is longer than " + MAX_TEXT + " characters"));
    } else if (attributes.size() <= MAX_ATTRIBUTES) {
      try {
        new io.trellis.core.resource.Attributes(attributes);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("attributes", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ApiException(422, "invalid agent registration: " + errors.get(0).path() + " " + errors.get(0).message(),
          errors);
    }
  }

  /**
   * The tasks an agent reports: each whole, and those still running within its resources. The
   * master applies a registration in one go, so anything it could not take is refused here first.
   */
  private static void tasks(List<AgentProtocol.RunningTask> tasks, Resources total, List<FieldError> errors) {
    Resources used = Resources.empty();
    for (int i = 0; tasks != null && i < tasks.size(); i++) {
      AgentProtocol.RunningTask t = tasks.get(i);
      String at = "tasks[" + i + "]";
      if (t == null || t.task() == null || t.state() == null) {
        errors.add(new FieldError(at, "needs frameworkId, task and state"));
        continue;
      }
      String problem = t.frameworkId() == null || t.frameworkId().isBlank() ? "is required" : DirectoryName.problem(t.frameworkId());
      if (problem != null) {
        errors.add(new FieldError(at + ".frameworkId", problem));
      }
      if (t.task().taskId() == null || t.task().taskId().isBlank() || t.task().taskId().length() > MAX_TEXT) {
        errors.add(new FieldError(at + ".task.taskId", "must be a non-blank text of at most " + MAX_TEXT + " characters"));
      }
      try {
        Resources r = Resources.parse(t.task().resources() == null ? "" : t.task().resources());
        if (!t.state().isTerminal()) {
          used = used.plus(r);
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(at + ".task.resources", e.getMessage()));
      }
    }
    if (errors.isEmpty() && !total.contains(used)) {
      errors.add(new FieldError("tasks", "the running tasks use " + used + ", beyond the agent's resources " + total));
    }
  }

  /** Adds an error unless the text is present and of sane length; true when it is. */
  private static boolean text(List<FieldError> errors, String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "is required"));
      return false;
    }
    if (value.length() > MAX_TEXT) {
      errors.add(new FieldError(field, "is " + value.length() + " characters long, more than " + MAX_TEXT));
      return false;
    }
    return true;
  }

  private static String endpointProblem(String endpoint) {
    try {
      URI uri = new URI(endpoint.contains("://") ? endpoint : "http://" + endpoint);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        return "'" + endpoint + "' is not host:port or an http(s) URL";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "'" + endpoint + "' is not host:port or an http(s) URL: " + e.getReason();
    }
  }
}
