package io.trellis.agent.containerizer;

import io.trellis.api.CommandSpec;
import io.trellis.api.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment that start one task: {@code setsid} puts a small {@code
 * /bin/sh} wrapper at the head of a new session and process group; the wrapper joins the task's
 * cgroups, runs the command and records its exit status in the sandbox. The command's words
 * reach the wrapper as positional parameters and run as {@code "$@"}, never re-parsed.
 */
record TaskCommand(List<String> argv, Map<String, String> environment) {
  /**
   * $1 exit file, $2 number of cgroup.procs files, then those files, then the command. Catching
   * TERM (instead of dying) keeps the wrapper, the group leader, alive until the command has
   * ended, so the agent sees the command's own end; the command itself gets the default action.
   */
  static final String WRAPPER = String.join("\n",
      "exit_file=$1; n=$2; shift 2",
      "while [ \"$n\" -gt 0 ]; do",
      "  if ! printf '%s\\n' $$ > \"$1\"; then",
      "    echo \"trellis: cannot join cgroup $1\" >&2",
      "    printf '125\\n' > \"$exit_file\"; exit 125",
      "  fi",
      "  n=$((n - 1)); shift",
      "done",
      "trap : TERM",
      "\"$@\"",
      "status=$?",
      "printf '%s\\n' \"$status\" > \"$exit_file\"",
      "exit \"$status\"");

  TaskCommand {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  /**
   * Builds the command for {@code request}.
   *
   * @throws ContainerException if the command is empty, its executable cannot be found, or its
   *     user cannot be switched to
   */
  static TaskCommand of(LaunchRequest request, HostTools tools, List<Path> procsFiles,
      String agentUser, boolean agentIsRoot) throws ContainerException {
    return of(request, tools, procsFiles, agentUser, agentIsRoot, null);
  }

  /**
   * Builds the command for {@code request}, run as the command's user or else {@code defaultUser}
   * (or else the agent's own user, when that is null too).
   */
  static TaskCommand of(LaunchRequest request, HostTools tools, List<Path> procsFiles,
      String agentUser, boolean agentIsRoot, String defaultUser) throws ContainerException {
    TaskSpec task = request.task();
    CommandSpec command = task.command();
    if (command == null || command.value() == null || command.value().isBlank()) {
      throw new ContainerException("task " + task.taskId()
          + " has no command to run; set command.value (a shell command or an executable)");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", tools.path());
    String lang = System.getenv("LANG");
    if (lang != null) {
      env.put("LANG", lang);
    }
    env.putAll(request.environment());
    env.putAll(command.environment());

    List<String> argv = new ArrayList<>();
    argv.add(tools.setsid().toString());
    argv.addAll(List.of(HostTools.SHELL, "-c", WRAPPER, "trellis-task"));
    argv.add(Checkpoint.exitFile(request.sandbox()).toString());
    argv.add(Integer.toString(procsFiles.size()));
    procsFiles.forEach(f -> argv.add(f.toString()));
    String user = TaskUser.of(command, defaultUser);
    List<String> runAs;
    try {
      runAs = RunAs.words(tools, user, agentUser, agentIsRoot);
    } catch (ContainerException e) {
      throw new ContainerException("cannot run task " + task.taskId() + ": " + e.getMessage(), e);
    }
    if (!runAs.isEmpty()) {
      env.putIfAbsent("HOME", request.sandbox().toString());
      env.put("USER", user);
      env.put("LOGNAME", user);
      argv.addAll(runAs);
    }
    if (command.isShell()) {
      argv.addAll(List.of(HostTools.SHELL, "-c", command.value()));
    } else {
      String path = env.getOrDefault("PATH", tools.path());
      if (HostTools.find(command.value(), path, request.sandbox()).isEmpty()) {
        throw new ContainerException("cannot run task " + task.taskId() + ": executable '"
            + command.value() + "' was not found on PATH (" + path + ") or in the sandbox;"
            + " give an absolute path to an executable file or install it on the agent");
      }
      argv.add(command.value());
      argv.addAll(command.arguments());
    }
    return new TaskCommand(argv, env);
  }
}
