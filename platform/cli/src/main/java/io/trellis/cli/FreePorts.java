package io.trellis.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/** Checks, before anything starts, that the ports a local cluster needs are free. */
final class FreePorts {
  private FreePorts() {}

  /**
   * @param ports what listens where, such as {@code "ZooKeeper (--zk-port)" -> 2181}; 0 is any port
   * @throws IllegalStateException naming the first port taken and what to do
   */
  static void require(String host, Map<String, Integer> ports) {
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      int port = e.getValue();
      if (port == 0) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException taken) {
        throw new IllegalStateException("port " + port + " on " + host + " for the " + e.getKey()
            + " is already in use (" + taken.getMessage() + "). Is another trellis local running? Stop it"
            + " (Ctrl-C in its shell), or start this one on other ports and its own --data-dir.");
      }
    }
  }
}
