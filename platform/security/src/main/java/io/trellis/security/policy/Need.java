package io.trellis.security.policy;

import io.trellis.security.Action;

/**
 * What one field of a task, app or job definition asks for: the grant of {@code action} on
 * {@code object}, or (with {@code refusal} set) nothing any grant could allow.
 *
 * @param path the field, as a JSON path ({@code $.container.docker.privileged})
 * @param refusal why the value is refused outright (a 422), or {@code null}
 */
public record Need(String path, Action action, String object, String refusal) {
  static Need grant(String path, Action action, String object) {
    return new Need(path, action, object, null);
  }

  static Need refused(String path, String why) {
    return new Need(path, null, null, why);
  }
}
