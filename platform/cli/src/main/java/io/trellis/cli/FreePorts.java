package io.trellis.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/** Checks, before anything starts, that the ports a command needs are free. */
final class FreePorts {
  private FreePorts() {}

  /**
   * @param ports what listens where, such as {@code "ZooKeeper (--zk-port)" -> 2181}; 0 is any port
   * @throws IllegalStateException naming the first port taken and what to do
   */
  static void require(String host, Map<String, Integer> ports) {
    require(host, ports, "Is another trellis local running? Stop it (Ctrl-C in its shell), or start this one on"
        + " other ports and its own --data-dir.");
  }

  /**
   * @param whatToDo the advice that follows the port taken
   * @throws IllegalStateException naming the first port taken, then {@code whatToDo}
   */
  static void require(String host, Map<String, Integer> ports, String whatToDo) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (IOException e) {
      throw new IllegalStateException("the address " + host + " does not resolve (" + e.getMessage() + "): give an"
          + " address or host name of this machine");
    }
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      int port = e.getValue();
      if (port == 0) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, port));
      } catch (java.net.BindException notHere) {
        if (!"Address already in use".equals(notHere.getMessage())) {
          throw new IllegalStateException("cannot listen on " + host + ":" + port + " for the " + e.getKey() + " ("
              + notHere.getMessage() + "): is " + host + " an address of this machine?");
        }
        throw new IllegalStateException("port " + port + " on " + host + " for the " + e.getKey()
            + " is already in use (" + notHere.getMessage() + "). " + whatToDo);
      } catch (IOException taken) {
        throw new IllegalStateException("port " + port + " on " + host + " for the " + e.getKey()
            + " is already in use (" + taken.getMessage() + "). " + whatToDo);
      }
    }
  }
}
