package io.trellis.faults.suite;

import io.trellis.faults.scenarios.DockerdRestart;
import io.trellis.faults.scenarios.LeaderKill;
import io.trellis.faults.scenarios.StatusStorm;
import java.util.ArrayList;
import java.util.List;

/** Every scenario of the suite, in the order it runs them, with what each does and checks. */
public final class Catalogue {
  /** A scenario with its name and what it does. */
  public record Entry(String name, String description, Scenario scenario) {}

  private Catalogue() {}

  public static List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    out.add(new Entry("leader-kill-500", "kill -9 of the leading master while 500 tasks run",
        new LeaderKill("leader-kill-500", 500)));
    out.add(new Entry("dockerd-restart", "kill -9 of dockerd while an app's Docker instances run, then dockerd again",
        new DockerdRestart("dockerd-restart", 4)));
    out.add(new Entry("status-storm", "the services leader killed in a storm of status updates (150 instances"
        + " failing every 2 s)", new StatusStorm("status-storm", 150)));
    return out;
  }
}
