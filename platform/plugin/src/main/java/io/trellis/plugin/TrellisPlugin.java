package io.trellis.plugin;

import java.util.List;
import java.util.Optional;

/**
 * A part of Trellis that lives outside the platform (the services framework, the jobs framework,
 * an adapter) and plugs into the {@code trellis} command. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.trellis.plugin.TrellisPlugin}) on the command's class path.
 */
public interface TrellisPlugin {
  /**
   * picocli command objects (annotated with {@code @Command}) added as subcommands of
   * {@code trellis}, such as {@code services} and {@code app}.
   */
  List<Object> commands();

  /** What {@code trellis local} starts beside its master and agent, if anything. */
  default Optional<LocalComponent> local() {
    return Optional.empty();
  }
}
