package io.trellis.simulate;

import io.trellis.allocator.Allocator;
import io.trellis.allocator.Demand;
import io.trellis.allocator.DemandStatus;
import io.trellis.allocator.Offer;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A framework of the trace as a scheduler would run it: it states what it waits for, answers
 * every offer by packing its waiting tasks (highest priority first, then oldest) and returns the
 * rest, places a gang only when enough of its members fit the gang's offers, suppresses offers
 * when nothing waits and revives them when work arrives.
 */
final class SimFramework {
  /** Tasks of one group not yet placed. */
  static final class Waiting {
    final int index;
    final TaskGroup group;
    final long submitMillis;
    int remaining;
    boolean gang;

    Waiting(int index, TaskGroup group, long submitMillis, int remaining, boolean gang) {
      this.index = index;
      this.group = group;
      this.submitMillis = submitMillis;
      this.remaining = remaining;
      this.gang = gang;
    }

    String demandId() {
      return "g" + index;
    }
  }

  /** Where a task is placed; the replay starts it. */
  interface Launcher {
    void launch(SimFramework framework, Waiting from, Offer offer, boolean gang);
  }

  final FrameworkId id;
  final Set<String> roles;
  private final Allocator allocator;
  private final Duration refuse;
  private final Duration gangTimeout;
  private final List<Waiting> waiting = new ArrayList<>();
  private final List<Outcome.NeverPlaced> refused = new ArrayList<>();
  private boolean suppressed;

  SimFramework(FrameworkId id, Set<String> roles, Allocator allocator, Duration refuse, Duration gangTimeout) {
    this.id = id;
    this.roles = roles;
    this.allocator = allocator;
    this.refuse = refuse;
    this.gangTimeout = gangTimeout;
  }

  /** Registers with the allocator, suppressed until its first task is submitted. */
  void subscribe() {
    allocator.addFramework(id, roles, true);
    allocator.suppress(id, Set.of());
    suppressed = true;
  }

  /**
   * Adds waiting tasks. A gang no cluster of this size could ever hold is refused, as the master
   * refuses it when the framework states it.
   */
  void submit(Waiting w) {
    if (w.gang) {
      TaskGroup g = w.group;
      String refusal = allocator.gangRefusal(g.role(), g.shape(), g.gang(), List.of());
      if (refusal != null) {
        refused.add(new Outcome.NeverPlaced(id.value(), g.role(), w.remaining, g.shape(), "refused: " + refusal));
        return;
      }
    }
    waiting.add(w);
    waiting.sort(Comparator.comparingInt((Waiting x) -> -x.group.priority()).thenComparingLong(x -> x.submitMillis)
        .thenComparingInt(x -> x.index));
    state();
    if (suppressed) {
      suppressed = false;
      allocator.revive(id, Set.of());
    }
  }

  /** A task of {@code from}'s group was preempted: it waits again, with the group's first submit time. */
  void resubmit(Waiting from) {
    for (Waiting w : waiting) {
      if (w.index == from.index) {
        w.remaining++;
        state();
        return;
      }
    }
    submit(new Waiting(from.index, from.group, from.submitMillis, 1, false));
  }

  /** A gang that expired fell back to a plain demand: its tasks are placed one by one from now on. */
  void gangChanged(DemandStatus status) {
    if (status.state() != DemandStatus.State.EXPIRED) {
      return;
    }
    for (Waiting w : waiting) {
      if (w.demandId().equals(status.demand().id())) {
        w.gang = false;
      }
    }
  }

  List<Outcome.NeverPlaced> refused() {
    return refused;
  }

  List<Waiting> waiting() {
    return waiting;
  }

  long waitingTasks() {
    return waiting.stream().mapToLong(w -> w.remaining).sum();
  }

  /** Answers one batch of offers made to this framework. */
  void answer(List<Offer> offers, Launcher launcher) {
    Map<String, List<Offer>> gangs = new LinkedHashMap<>();
    for (Offer o : offers) {
      if (o.gang() != null) {
        gangs.computeIfAbsent(o.gang(), g -> new ArrayList<>()).add(o);
      } else {
        answerPlain(o, launcher);
      }
    }
    gangs.forEach((gang, gangOffers) -> answerGang(gang, gangOffers, launcher));
    waiting.removeIf(w -> w.remaining == 0);
    state();
  }

  private void answerPlain(Offer offer, Launcher launcher) {
    Resources left = offer.resources();
    for (Waiting w : waiting) {
      if (w.gang || !w.group.role().equals(offer.role())) {
        continue;
      }
      while (w.remaining > 0 && left.contains(w.group.shape())) {
        left = left.minus(w.group.shape());
        w.remaining--;
        launcher.launch(this, w, offer, false);
      }
    }
    finish(offer, left);
  }

  private void answerGang(String gang, List<Offer> offers, Launcher launcher) {
    Waiting w = waiting.stream().filter(x -> x.gang && x.demandId().equals(gang)).findFirst().orElse(null);
    int[] members = new int[offers.size()];
    int placed = 0;
    for (int i = 0; w != null && i < offers.size(); i++) {
      Resources left = offers.get(i).resources();
      while (placed < w.remaining && left.contains(w.group.shape())) {
        left = left.minus(w.group.shape());
        members[i]++;
        placed++;
      }
    }
    if (w == null || placed < w.group.gang()) {
      offers.forEach(o -> allocator.decline(o.id(), Duration.ZERO));
      return;
    }
    w.gang = false;
    for (int i = 0; i < offers.size(); i++) {
      Offer o = offers.get(i);
      Resources used = Resources.empty();
      for (int m = 0; m < members[i]; m++) {
        used = used.plus(w.group.shape());
        w.remaining--;
        launcher.launch(this, w, o, true);
      }
      finish(o, o.resources().minus(used));
    }
  }

  /**
   * Accepts what was used and returns the rest. Like a Mesos scheduler with tasks still to place,
   * it sets no filter on the rest of an offer it used while it still waits for more under that
   * role (the allocator's minimum offer keeps crumbs away); it filters what it declines outright.
   */
  private void finish(Offer offer, Resources left) {
    if (left.equals(offer.resources())) {
      allocator.decline(offer.id(), refuse);
      return;
    }
    boolean wantsMore = waiting.stream().anyMatch(w -> w.remaining > 0 && w.group.role().equals(offer.role()));
    allocator.accept(offer.id(), offer.resources().minus(left), wantsMore ? Duration.ZERO : refuse);
  }

  /** States the demands; suppresses offers when nothing waits. */
  private void state() {
    List<Demand> demands = new ArrayList<>();
    for (Waiting w : waiting) {
      if (w.remaining > 0) {
        demands.add(new Demand(w.demandId(), w.group.role(), w.group.shape(), w.remaining, List.of(),
            w.gang ? new Demand.Gang(w.group.gang(), gangTimeout, false) : null));
      }
    }
    allocator.request(id, demands);
    if (demands.isEmpty() && !suppressed) {
      suppressed = true;
      allocator.suppress(id, Set.of());
    }
  }
}
