package io.trellis.allocator.preemption;

import io.trellis.allocator.preemption.ClusterSnapshot.RoleState;
import io.trellis.allocator.preemption.ClusterSnapshot.RunningTask;
import io.trellis.allocator.preemption.ClusterSnapshot.Waiting;
import io.trellis.allocator.preemption.Preemption.Basis;
import io.trellis.core.id.AgentId;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which tasks to take back so that waiting work of a role below its quota guarantee (or,
 * in {@link PreemptionMode#FAIR_SHARE}, below its weighted fair share) fits on one agent. A pure
 * function of a {@link ClusterSnapshot}; the master carries the decisions out.
 *
 * <p>For each waiting need that fits on no agent, in snapshot order (guarantees first):
 * <ol>
 *   <li>the role may preempt only while the need keeps it within its guarantee (every kind its
 *       guarantee names), or, for fair share, within its weighted fair share;
 *   <li>on every agent, candidates are the preemptible tasks of other preemptible roles, lowest
 *       priority first, then most recently started; they are taken in that order until the need
 *       fits, skipping any that would take its role below its own guarantee (or, for fair share,
 *       below its fair share); then, most important first, each victim that is not needed after
 *       all is spared;
 *   <li>among agents, the choice whose most important victim has the lowest priority wins, then
 *       the one with the fewest victims, then the one freeing the least.
 * </ol>
 * A role's weighted fair share is its weight over the weights of the roles that hold resources
 * or wait, as a dominant share of the cluster.
 */
public final class PreemptionPlanner {
  private static final double EPSILON = 1e-9;
  private static final Comparator<RunningTask> VICTIM_ORDER = Comparator.comparingInt(RunningTask::priority)
      .thenComparing(Comparator.comparingLong(RunningTask::startedMillis).reversed())
      .thenComparing(RunningTask::taskId);

  private final PreemptionMode mode;

  public PreemptionPlanner(PreemptionMode mode) {
    this.mode = mode;
  }

  public PreemptionMode mode() {
    return mode;
  }

  /** The preemptions to carry out now; empty when nothing may or needs to be taken back. */
  public List<Preemption> plan(ClusterSnapshot snapshot) {
    if (mode == PreemptionMode.OFF || snapshot.waiting().isEmpty()) {
      return List.of();
    }
    Planning p = new Planning(snapshot);
    List<Preemption> out = new ArrayList<>();
    for (Basis basis : mode == PreemptionMode.FAIR_SHARE ? Basis.values() : new Basis[] {Basis.GUARANTEE}) {
      for (Waiting w : snapshot.waiting()) {
        if (!p.served.contains(w) && !p.fitsSomewhere(w.need())) {
          Preemption decision = p.preemptFor(w, basis);
          if (decision != null) {
            p.served.add(w);
            out.add(decision);
          }
        }
      }
    }
    return out;
  }

  /** The accounting of one planning run: what each role will hold once the decisions so far are carried out. */
  private static final class Planning {
    final ClusterSnapshot snapshot;
    final Amounts total;
    final Map<String, Amounts> held = new HashMap<>();
    final Map<AgentId, List<RunningTask>> byAgent = new HashMap<>();
    final Set<String> taken = new HashSet<>();
    final Set<Waiting> served = new HashSet<>();
    final double activeWeight;

    Planning(ClusterSnapshot snapshot) {
      this.snapshot = snapshot;
      this.total = Amounts.of(snapshot.total());
      snapshot.roles().forEach((name, r) -> held.put(name, Amounts.of(r.allocated())));
      for (RunningTask t : snapshot.tasks()) {
        byAgent.computeIfAbsent(t.agent(), a -> new ArrayList<>()).add(t);
      }
      Set<String> active = new HashSet<>();
      snapshot.roles().forEach((name, r) -> {
        if (!r.allocated().scalars().isEmpty()) {
          active.add(name);
        }
      });
      snapshot.waiting().forEach(w -> active.add(w.role()));
      double sum = 0;
      for (String name : active) {
        sum += role(name).weight();
      }
      this.activeWeight = sum;
    }

    RoleState role(String name) {
      RoleState r = snapshot.roles().get(name);
      return r != null ? r : new RoleState(name, Resources.empty(), 1.0, true, Resources.empty());
    }

    Amounts held(String name) {
      return held.computeIfAbsent(name, n -> new Amounts());
    }

    double fairShare(String name) {
      return activeWeight <= 0 ? 0 : role(name).weight() / activeWeight;
    }

    boolean fitsSomewhere(Resources need) {
      Amounts n = Amounts.of(need);
      for (Resources free : snapshot.free().values()) {
        if (Amounts.of(free).covers(n)) {
          return true;
        }
      }
      return false;
    }

    /** Whether the role may take {@code need} more on this basis. */
    boolean mayTake(String name, Amounts need, Basis basis) {
      Amounts after = held(name).copy().add(need, 1);
      Amounts guarantee = Amounts.of(role(name).guarantee());
      return switch (basis) {
        case GUARANTEE -> {
          boolean claims = false;
          for (String k : guarantee.names()) {
            if (after.get(k) > guarantee.get(k)) {
              yield false;
            }
            claims |= need.get(k) > 0;
          }
          yield claims;
        }
        case FAIR_SHARE -> after.dominantShare(total) <= fairShare(name) + EPSILON;
      };
    }

    /** Whether the role may give up {@code taking} (on top of what it already gives) on this basis. */
    boolean mayGive(String name, Amounts taking, Basis basis) {
      RoleState r = role(name);
      if (!r.preemptible()) {
        return false;
      }
      Amounts after = held(name).copy().add(taking, -1);
      Amounts guarantee = Amounts.of(r.guarantee());
      for (String k : guarantee.names()) {
        if (taking.get(k) > 0 && after.get(k) < guarantee.get(k)) {
          return false;
        }
      }
      return basis != Basis.FAIR_SHARE || after.dominantShare(total) >= fairShare(name) - EPSILON;
    }

    Preemption preemptFor(Waiting w, Basis basis) {
      Amounts need = Amounts.of(w.need());
      if (!mayTake(w.role(), need, basis)) {
        return null;
      }
      Choice best = null;
      for (Map.Entry<AgentId, Resources> e : snapshot.free().entrySet()) {
        Choice c = choose(e.getKey(), Amounts.of(e.getValue()), need, w.role(), basis);
        if (c != null && (best == null || c.betterThan(best))) {
          best = c;
        }
      }
      if (best == null) {
        return null;
      }
      held(w.role()).add(need, 1);
      for (RunningTask t : best.victims) {
        held(t.role()).add(Amounts.of(t.resources()), -1);
        taken.add(t.taskId());
      }
      return new Preemption(w.framework(), w.role(), w.need(), best.agent, best.victims, basis);
    }

    /** The victims on one agent that make the need fit, or null when none do. */
    Choice choose(AgentId agent, Amounts free, Amounts need, String preemptor, Basis basis) {
      List<RunningTask> candidates = new ArrayList<>();
      for (RunningTask t : byAgent.getOrDefault(agent, List.of())) {
        if (t.preemptible() && !t.role().equals(preemptor) && !taken.contains(t.taskId())) {
          candidates.add(t);
        }
      }
      candidates.sort(VICTIM_ORDER);
      List<RunningTask> chosen = new ArrayList<>();
      Map<String, Amounts> giving = new HashMap<>();
      Amounts freed = free.copy();
      for (RunningTask t : candidates) {
        if (freed.covers(need)) {
          break;
        }
        Amounts r = Amounts.of(t.resources());
        Amounts more = giving.getOrDefault(t.role(), new Amounts()).copy().add(r, 1);
        if (mayGive(t.role(), more, basis)) {
          chosen.add(t);
          giving.put(t.role(), more);
          freed.add(r, 1);
        }
      }
      if (!freed.covers(need)) {
        return null;
      }
      // Spare the most important victims that turn out not to be needed.
      for (int i = chosen.size() - 1; i >= 0; i--) {
        Amounts r = Amounts.of(chosen.get(i).resources());
        if (freed.copy().add(r, -1).covers(need)) {
          freed.add(r, -1);
          chosen.remove(i);
        }
      }
      if (chosen.isEmpty()) {
        return null;
      }
      return new Choice(agent, chosen, freed.copy().add(free, -1).dominantShare(total));
    }
  }

  private record Choice(AgentId agent, List<RunningTask> victims, double freedShare) {
    int topPriority() {
      return victims.stream().mapToInt(RunningTask::priority).max().orElse(Integer.MIN_VALUE);
    }

    boolean betterThan(Choice o) {
      if (topPriority() != o.topPriority()) {
        return topPriority() < o.topPriority();
      }
      if (victims.size() != o.victims.size()) {
        return victims.size() < o.victims.size();
      }
      if (Math.abs(freedShare - o.freedShare) > EPSILON) {
        return freedShare < o.freedShare;
      }
      return agent.value().compareTo(o.agent.value()) < 0;
    }
  }
}
