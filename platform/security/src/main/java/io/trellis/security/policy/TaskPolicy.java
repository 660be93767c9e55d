package io.trellis.security.policy;

import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import java.util.List;
import java.util.Map;

/**
 * The container policy's view of a task as frameworks send it to the master in an ACCEPT: its
 * container (the task's user is the scheduler API's own run_tasks check).
 */
public final class TaskPolicy {
  private TaskPolicy() {}

  /**
   * What {@code task} asks of the host; field paths start with {@code path} (such as {@code
   * accept.launch[0]}).
   */
  public static ContainerPolicy of(TaskSpec task, String path) {
    // The task's user (run_tasks) is checked by the scheduler API before the call goes this far.
    ContainerPolicy policy = new ContainerPolicy(task.taskId());
    ContainerSpec c = task.container();
    if (c == null) {
      return policy;
    }
    String at = path + ".container";
    policy.privileged(at + ".privileged", c.privileged());
    if ("DOCKER".equalsIgnoreCase(String.valueOf(c.type()))) {
      policy.network(at + ".network", c.network());
    }
    List<Map<String, Object>> volumes = c.volumes() == null ? List.of() : c.volumes();
    for (int i = 0; i < volumes.size(); i++) {
      Object host = volumes.get(i) == null ? null : volumes.get(i).get("hostPath");
      policy.volume(at + ".volumes[" + i + "].hostPath", host == null ? null : host.toString());
    }
    if (c.parameters() != null) {
      for (Map.Entry<String, Object> p : c.parameters().entrySet()) {
        Object value = p.getValue();
        if (value instanceof List<?> values) {
          for (Object v : values) {
            policy.parameter(at + ".parameters." + p.getKey(), p.getKey(), String.valueOf(v));
          }
        } else {
          policy.parameter(at + ".parameters." + p.getKey(), p.getKey(), value == null ? "" : value.toString());
        }
      }
    }
    return policy;
  }
}
