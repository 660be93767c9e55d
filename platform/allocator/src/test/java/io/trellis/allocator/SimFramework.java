package io.trellis.allocator;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A framework that runs identical tasks: on each offer it launches one task if the task fits,
 * returning the rest at once, and otherwise declines without a filter.
 */
final class SimFramework {
  record Task(AgentId agent, Resources resources) {}

  final FrameworkId id;
  final String role;
  final Resources task;
  final List<Task> running = new ArrayList<>();
  private final Allocator allocator;

  SimFramework(Allocator allocator, FrameworkId id, String role, Resources task) {
    this.allocator = allocator;
    this.id = id;
    this.role = role;
    this.task = task;
  }

  /** Answers one offer; returns whether a task was launched. */
  boolean answer(Offer offer) {
    if (offer.resources().contains(task)) {
      allocator.accept(offer.id(), task, Duration.ZERO);
      running.add(new Task(offer.agentId(), task));
      return true;
    }
    allocator.decline(offer.id(), Duration.ZERO);
    return false;
  }

  int tasks() {
    return running.size();
  }

  /** Ends the oldest task and gives its resources back. */
  void finishOne() {
    Task t = running.remove(0);
    allocator.release(id, role, t.agent(), t.resources());
  }

  @Override
  public String toString() {
    return id + "(" + role + ", " + running.size() + " tasks)";
  }
}
