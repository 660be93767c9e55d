package io.trellis.hadoop.yarn;

/** Where the ResourceManager listens: one host and its five ports (YARN's defaults 8032, 8030, 8031, 8033, 8088). */
public record RmAddresses(String host, int clientPort, int schedulerPort, int trackerPort, int adminPort, int webPort) {
  public RmAddresses {
    for (int p : new int[] {clientPort, schedulerPort, trackerPort, adminPort, webPort}) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("ResourceManager port " + p + " must be between 1 and 65535");
      }
    }
  }

  public String client() {
    return host + ":" + clientPort;
  }

  public String scheduler() {
    return host + ":" + schedulerPort;
  }

  public String tracker() {
    return host + ":" + trackerPort;
  }

  public String admin() {
    return host + ":" + adminPort;
  }

  public String web() {
    return host + ":" + webPort;
  }
}
