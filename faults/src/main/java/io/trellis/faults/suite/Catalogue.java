package io.trellis.faults.suite;

import io.trellis.faults.scenarios.LeaderKill;
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
    return out;
  }
}
