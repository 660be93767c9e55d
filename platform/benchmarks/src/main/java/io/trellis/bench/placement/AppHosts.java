package io.trellis.bench.placement;

/** The agents each app's instances were placed on, for the unique-host constraint. */
final class AppHosts {
  private final int perApp;
  private final int[] agents;
  private final int[] count;

  AppHosts(int apps, int perApp) {
    this.perApp = perApp;
    this.agents = new int[apps * perApp];
    this.count = new int[apps];
  }

  boolean has(int app, int agent) {
    int base = app * perApp;
    for (int i = 0; i < count[app]; i++) {
      if (agents[base + i] == agent) {
        return true;
      }
    }
    return false;
  }

  void add(int app, int agent) {
    if (count[app] == perApp) {
      throw new IllegalStateException("app " + app + " already has its " + perApp + " instances placed");
    }
    agents[app * perApp + count[app]++] = agent;
  }
}
