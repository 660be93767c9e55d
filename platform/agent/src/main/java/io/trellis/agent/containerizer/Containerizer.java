package io.trellis.agent.containerizer;

import java.util.List;

/**
 * Runs tasks in isolation on an agent. Implementations are found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.trellis.agent.containerizer.Containerizer});
 * the agent asks each, in order, whether it {@link #supports} a task and launches it with the
 * first that does. The process containerizer supports plain commands; others (Docker) register
 * themselves from their own modules.
 */
public interface Containerizer {
  /** A short name for logs and state, such as {@code process} or {@code docker}. */
  String name();

  /** Called once before use with the agent's settings. */
  void initialize(ContainerizerContext context);

  /** Whether this containerizer runs the task (for example by its container type). */
  boolean supports(LaunchRequest request);

  /**
   * Starts the task in its sandbox and returns once it has started.
   *
   * @throws ContainerException with a message saying what failed and what to do
   */
  Container launch(LaunchRequest request) throws ContainerException;

  /**
   * Finds the containers of this containerizer that survived an agent restart, so the agent
   * can keep watching them instead of launching duplicates. {@code known} are the sandboxes of
   * tasks the agent had checkpointed.
   */
  List<Container> recover(List<java.nio.file.Path> known);
}
