package io.trellis.agent.containerizer;

import io.trellis.api.CommandSpec;

/** Which Unix user a task runs as. */
final class TaskUser {
  private TaskUser() {}

  /**
   * The command's own user when it names one, else the agent's configured task user, else {@code
   * null} (the agent's own user).
   */
  static String of(CommandSpec command, String defaultUser) {
    if (command != null && command.user() != null && !command.user().isBlank()) {
      return command.user().trim();
    }
    return defaultUser == null || defaultUser.isBlank() ? null : defaultUser.trim();
  }
}
