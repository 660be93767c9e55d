package io.trellis.hadoop;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Hadoop's Jersey 1 logs through java.util.logging: route it to SLF4J, like everything else. */
public final class Logging {
  private Logging() {}

  public static void quiet() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }
}
