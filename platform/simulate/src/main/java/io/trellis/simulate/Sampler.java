package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Samples utilisation and each role's dominant share at regular intervals of simulated time,
 * next to the share weighted DRF would give it: the cluster filled by weight (progressive
 * filling), no role given more than it asks for (running tasks and waiting tasks that fit an
 * agent) or than its quota
 * limit allows, and at least its guarantee when it asks for that much.
 */
final class Sampler {
  static final int SAMPLES = 300;
  private final Resources total;
  private final Resources agent;
  private final Map<String, RoleSpec> specs;
  private final List<String> roles;
  private final long every;
  private final List<Outcome.Sample> samples = new ArrayList<>();

  Sampler(ClusterSpec cluster, Map<String, RoleSpec> specs, Trace trace) {
    this.total = cluster.total();
    this.agent = cluster.agentResources();
    this.specs = specs;
    TreeSet<String> names = new TreeSet<>(specs.keySet());
    long span = 0;
    for (TaskGroup g : trace.groups()) {
      names.add(g.role());
      span = Math.max(span, g.submitMillis() + g.durationMillis());
    }
    this.roles = List.copyOf(names);
    this.every = Math.max(1000, Math.min(3_600_000, span / SAMPLES));
  }

  long every() {
    return every;
  }

  List<Outcome.Sample> samples() {
    return List.copyOf(samples);
  }

  void sample(long at, Collection<Replay.Running> running, Collection<SimFramework> frameworks) {
    Map<String, Resources> held = new LinkedHashMap<>();
    Map<String, Resources> asked = new LinkedHashMap<>();
    Resources used = Resources.empty();
    for (Replay.Running r : running) {
      Resources shape = r.from().group.shape();
      held.merge(r.from().group.role(), shape, Resources::plus);
      used = used.plus(shape);
    }
    asked.putAll(held);
    for (SimFramework f : frameworks) {
      for (SimFramework.Waiting w : f.waiting()) {
        // Tasks no agent can hold are not counted as asked for: they would raise the target for nothing.
        if (w.remaining > 0 && agent.contains(w.group.shape())) {
          asked.merge(w.group.role(), times(w.group.shape(), w.remaining), Resources::plus);
        }
      }
    }
    Map<String, Double> usedShare = new LinkedHashMap<>();
    for (var r : total.entries()) {
      usedShare.put(r.name(), used.scalar(r.name()) / r.amount());
    }
    Map<String, Double> share = new LinkedHashMap<>();
    Map<String, Double> demand = new LinkedHashMap<>();
    for (String role : roles) {
      share.put(role, dominant(held.getOrDefault(role, Resources.empty())));
      demand.put(role, Math.min(dominant(asked.getOrDefault(role, Resources.empty())), limit(role)));
    }
    samples.add(new Outcome.Sample(at, usedShare, share, targets(demand)));
  }

  /** Progressive filling by weight, each role capped at its demand; guarantees as a floor. */
  Map<String, Double> targets(Map<String, Double> demand) {
    Map<String, Double> target = new LinkedHashMap<>();
    List<String> open = new ArrayList<>();
    for (String role : roles) {
      target.put(role, 0.0);
      if (demand.get(role) > 0) {
        open.add(role);
      }
    }
    double left = 1.0;
    while (!open.isEmpty() && left > 1e-9) {
      double weights = open.stream().mapToDouble(this::weight).sum();
      double level = left / weights;
      List<String> capped = open.stream().filter(r -> demand.get(r) - target.get(r) <= level * weight(r)).toList();
      if (capped.isEmpty()) {
        open.forEach(r -> target.merge(r, level * weight(r), Double::sum));
        break;
      }
      for (String r : capped) {
        left -= demand.get(r) - target.get(r);
        target.put(r, demand.get(r));
      }
      open.removeAll(capped);
    }
    for (String role : roles) {
      target.put(role, Math.max(target.get(role), Math.min(demand.get(role), guarantee(role))));
    }
    return target;
  }

  private double weight(String role) {
    RoleSpec s = specs.get(role);
    return s == null ? 1.0 : s.weight();
  }

  private double guarantee(String role) {
    RoleSpec s = specs.get(role);
    return s == null ? 0 : dominant(s.quota().guarantee());
  }

  private double limit(String role) {
    RoleSpec s = specs.get(role);
    double cap = 1.0;
    if (s != null) {
      for (var r : s.quota().limit().entries()) {
        if (total.scalar(r.name()) > 0) {
          cap = Math.min(cap, r.amount() / total.scalar(r.name()));
        }
      }
    }
    return cap;
  }

  private double dominant(Resources r) {
    double max = 0;
    for (var e : r.scalars().entries()) {
      double t = total.scalar(e.name());
      if (t > 0) {
        max = Math.max(max, e.amount() / t);
      }
    }
    return max;
  }

  static Resources times(Resources r, int n) {
    Resources out = Resources.empty();
    for (var e : r.scalars().entries()) {
      out = out.plus(Resources.scalar(e.name(), e.amount() * n));
    }
    return out;
  }
}
