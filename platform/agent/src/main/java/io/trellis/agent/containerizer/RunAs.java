package io.trellis.agent.containerizer;

import io.trellis.api.CommandSpec;
import java.util.List;

/**
 * The words that start a command as a task's user: {@code setpriv} (util-linux) changes the user,
 * its group and supplementary groups and nothing else (the environment stays the task's), and
 * sets no-new-privs so that set-uid programs such as sudo cannot give back what was dropped.
 */
public final class RunAs {
  private RunAs() {}

  /**
   * The prefix that runs a command of the task as its user ({@code commandUser}, else {@code
   * taskUser}); empty when that is the agent's own user (or none).
   *
   * @throws ContainerException if the user must be switched to and cannot be
   */
  public static List<String> words(CommandSpec command, String taskUser) throws ContainerException {
    boolean root = HostTools.runningAsRoot();
    // An agent that cannot switch users runs its tasks as itself, whatever task user is configured.
    return words(new HostTools(System.getenv("PATH")), TaskUser.of(command, root ? taskUser : null),
        System.getProperty("user.name"), root);
  }

  static List<String> words(HostTools tools, String user, String agentUser, boolean agentIsRoot)
      throws ContainerException {
    if (user == null || user.equals(agentUser)) {
      return List.of();
    }
    if (!agentIsRoot) {
      throw new ContainerException("cannot run as user '" + user + "': the agent runs as '" + agentUser
          + "' and only an agent running as root can switch users; run the agent as root or drop the"
          + " command's user");
    }
    String group = tools.primaryGroup(user).orElseThrow(() -> new ContainerException("cannot run as user '"
        + user + "': no such user on this agent; create the user or change the command's user"));
    return List.of(tools.setpriv().toString(), "--reuid=" + user, "--regid=" + group, "--init-groups",
        "--no-new-privs", "--");
  }
}
