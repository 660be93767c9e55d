package io.trellis.api;

import java.util.List;
import java.util.Map;

/**
 * What a task runs. With {@code shell} the {@code value} goes to {@code /bin/sh -c}; without it
 * {@code value} is the executable and {@code arguments} its arguments.
 */
public record CommandSpec(String value, Boolean shell, List<String> arguments,
    Map<String, String> environment, String user) {
  public CommandSpec {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  public static CommandSpec shell(String command) {
    return new CommandSpec(command, true, List.of(), Map.of(), null);
  }

  public boolean isShell() {
    return shell == null || shell;
  }
}
