package io.trellis.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task runs. With {@code shell} the {@code value} goes to {@code /bin/sh -c}; without it
 * {@code value} is the executable and {@code arguments} its arguments.
 *
 * @param user the Unix user the task runs as; {@code null} for the agent's task user
 * @param secrets the names of the {@code environment} variables whose values are secret: they
 *     reach the task but are never shown (in logs, read APIs or {@link #toString})
 */
public record CommandSpec(String value, Boolean shell, List<String> arguments,
    Map<String, String> environment, String user, List<String> secrets) {
  /** What a secret environment value shows as. */
  public static final String HIDDEN = "(secret)";

  public CommandSpec {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** A command without secret environment values. */
  public CommandSpec(String value, Boolean shell, List<String> arguments, Map<String, String> environment,
      String user) {
    this(value, shell, arguments, environment, user, List.of());
  }

  public static CommandSpec shell(String command) {
    return new CommandSpec(command, true, List.of(), Map.of(), null);
  }

  public boolean isShell() {
    return shell == null || shell;
  }

  /** The environment with every secret value replaced by {@link #HIDDEN}. */
  public Map<String, String> shownEnvironment() {
    if (secrets.isEmpty()) {
      return environment;
    }
    Map<String, String> shown = new TreeMap<>(environment);
    for (String name : secrets) {
      shown.computeIfPresent(name, (k, v) -> HIDDEN);
    }
    return shown;
  }

  /** Never a secret value. */
  @Override
  public String toString() {
    return "CommandSpec[value=" + value + ", shell=" + shell + ", arguments=" + arguments + ", environment="
        + shownEnvironment() + ", user=" + user + ", secrets=" + secrets + "]";
  }
}
