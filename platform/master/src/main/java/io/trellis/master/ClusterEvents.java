package io.trellis.master;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What changed in the cluster, for people watching it (the web UI's events page): task states,
 * agents registered and lost, frameworks subscribed and gone, preemptions, leadership. The last
 * {@value #KEPT} are kept; watchers get each new one as it happens. Owned by the event loop.
 */
public final class ClusterEvents {
  static final int KEPT = 1000;

  /** @param level {@code info} or {@code warning} (a task failed or was lost, an agent went away) */
  public record Event(long seq, double at, String type, String level, String message) {}

  private final InstantSource clock;
  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final List<Predicate<Event>> watchers = new ArrayList<>();
  private long seq;

  ClusterEvents(InstantSource clock) {
    this.clock = clock;
  }

  void info(String type, String message) {
    add(type, "info", message);
  }

  void warning(String type, String message) {
    add(type, "warning", message);
  }

  private void add(String type, String level, String message) {
    Event e = new Event(++seq, clock.millis() / 1000.0, type, level, message);
    recent.addLast(e);
    if (recent.size() > KEPT) {
      recent.removeFirst();
    }
    // A watcher that answers false is gone (its stream closed).
    watchers.removeIf(w -> !w.test(e));
  }

  /** The kept events after {@code after}, oldest first. */
  public List<Event> since(long after) {
    List<Event> out = new ArrayList<>();
    for (Event e : recent) {
      if (e.seq() > after) {
        out.add(e);
      }
    }
    return out;
  }

  /** Calls {@code watcher} with every event from now on, until it answers false. */
  public void watch(Predicate<Event> watcher) {
    watchers.add(watcher);
  }
}
