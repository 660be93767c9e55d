package io.trellis.agent.containerizer;

import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a containerizer needs to start one task.
 *
 * @param sandbox the task's own directory; stdout and stderr go to files named {@code stdout}
 *     and {@code stderr} in it, and it is the task's working directory
 * @param environment variables the agent sets for every task: {@code TRELLIS_TASK_ID},
 *     {@code TRELLIS_FRAMEWORK_ID}, {@code TRELLIS_SANDBOX}, {@code HOST}, {@code PORTS} and
 *     {@code PORT0..N}; the command's own environment is added on top
 */
public record LaunchRequest(String frameworkId, TaskSpec task, Resources resources, Path sandbox,
    Map<String, String> environment) {
  public LaunchRequest {
    environment = Map.copyOf(environment);
  }
}
