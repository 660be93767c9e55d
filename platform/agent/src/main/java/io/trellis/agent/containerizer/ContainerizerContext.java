package io.trellis.agent.containerizer;

import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's settings as containerizers see them.
 *
 * @param agentId the agent's id, used to label what a containerizer creates
 * @param workDir the agent's work directory; containerizers may keep state under it
 * @param settings free-form settings from the agent's configuration (for example whether
 *     privileged containers are allowed)
 */
public record ContainerizerContext(String agentId, Path workDir, Map<String, String> settings) {
  public ContainerizerContext {
    settings = Map.copyOf(settings);
  }
}
