package io.trellis.plugin;

import java.util.List;

/** A component that {@code trellis local} hosts in its JVM once the master and agent are up. */
public interface LocalComponent {
  /** A short name for messages, such as {@code services}. */
  String name();

  /** Start order: lower first. */
  default int order() {
    return 100;
  }

  /**
   * The TCP ports on the bind host the component will listen on, so that {@code trellis local}
   * can say at once which one is taken before starting anything.
   */
  default List<Integer> ports() {
    return List.of();
  }

  /**
   * Starts the component. It talks to the master like any framework (through the client library
   * and {@link LocalContext#zk()}), never through master internals.
   */
  Running start(LocalContext context) throws Exception;

  /** A started component. */
  interface Running extends AutoCloseable {
    /**
     * Lines for the banner {@code trellis local} prints, as {@code {label, address}} pairs,
     * for example {@code {"services API", "http://127.0.0.1:8080/v2/apps"}}.
     */
    List<String[]> addresses();

    @Override
    void close() throws Exception;
  }
}
