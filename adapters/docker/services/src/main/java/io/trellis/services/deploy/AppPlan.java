package io.trellis.services.deploy;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.UpgradeStrategy;
import io.trellis.services.instance.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What to do next for one app, given its definition and its instances: how many instances to
 * launch and which to kill. One rule covers keeping the count, scaling and rolling upgrades:
 * instances of an older configuration are replaced while at least
 * {@code ceil(instances × minimumHealthCapacity)} stay healthy and at most
 * {@code instances × (1 + maximumOverCapacity)} run.
 */
public record AppPlan(int toLaunch, List<Instance> toKill, boolean complete) {
  public AppPlan {
    toKill = List.copyOf(toKill);
  }

  /** The plan for an app that no longer exists: kill everything. */
  public static AppPlan stop(List<Instance> instances) {
    List<Instance> kill = instances.stream().filter(i -> !i.state().isTerminal() && !i.killRequested()).toList();
    return new AppPlan(0, kill, instances.stream().allMatch(i -> i.state().isTerminal()));
  }

  public static AppPlan of(AppDefinition app, List<Instance> instances) {
    return of(app, instances, i -> true);
  }

  /**
   * The plan when new instances must also pass the app's readiness checks ({@code ready}) before
   * they count toward the healthy minimum or complete a deployment.
   */
  public static AppPlan of(AppDefinition app, List<Instance> instances, java.util.function.Predicate<Instance> ready) {
    return of(app, instances, ready, i -> false);
  }

  /**
   * The plan when, beside readiness, some instances are {@code inactive}: unreachable for longer
   * than the app's unreachable strategy allows. They neither count nor are killed (the kill
   * could not reach them); replacements are launched for them.
   */
  public static AppPlan of(AppDefinition app, List<Instance> instances, java.util.function.Predicate<Instance> ready,
      java.util.function.Predicate<Instance> inactive) {
    boolean checks = app.hasHealthChecks();
    String version = app.configVersion();
    int target = app.instances();
    List<Instance> kill = new ArrayList<>();
    List<Instance> current = new ArrayList<>();
    List<Instance> old = new ArrayList<>();
    int inFlight = 0;
    for (Instance i : instances) {
      if (i.state().isTerminal() || inactive.test(i)) {
        continue;
      }
      if (!i.isActive()) {
        inFlight++;
        continue;
      }
      if (i.isRunning() && checks && Boolean.FALSE.equals(i.healthy())) {
        kill.add(i);
      } else if (version.equals(i.version())) {
        current.add(i);
      } else {
        old.add(i);
      }
    }
    // Too many of the current version: kill those not yet running, then the youngest.
    if (current.size() > target) {
      current.sort(Comparator.comparing((Instance i) -> i.isRunning())
          .thenComparing(Instance::stagedAt, Comparator.reverseOrder()));
      kill.addAll(current.subList(0, current.size() - target));
      current = new ArrayList<>(current.subList(current.size() - target, current.size()));
    }
    UpgradeStrategy s = app.upgradeStrategy() == null ? UpgradeStrategy.DEFAULT : app.upgradeStrategy();
    int minHealthy = (int) Math.ceil(target * s.minimumHealthCapacity() - 1e-9);
    int maxCapacity = (int) Math.floor(target * (1 + s.maximumOverCapacity()) + 1e-9);
    if (minHealthy == maxCapacity && !old.isEmpty() && old.size() + current.size() >= maxCapacity) {
      maxCapacity++;
    }
    int healthyCurrent = (int) current.stream().filter(i -> i.isHealthy(checks) && ready.test(i)).count();
    int healthyOld = (int) old.stream().filter(i -> i.isHealthy(checks)).count();
    // Old instances that are not healthy add nothing: replace them first.
    List<Instance> oldSorted = new ArrayList<>(old);
    oldSorted.sort(Comparator.comparing((Instance i) -> i.isHealthy(checks)));
    int spare = Math.max(0, healthyOld + healthyCurrent - minHealthy);
    int killedOld = 0;
    for (Instance i : oldSorted) {
      if (!i.isHealthy(checks)) {
        kill.add(i);
        killedOld++;
      } else if (spare > 0 || target == 0) {
        kill.add(i);
        spare--;
        killedOld++;
      }
    }
    int remainingOld = old.size() - killedOld;
    int room = Math.max(0, maxCapacity - remainingOld - current.size());
    int launch = Math.max(0, Math.min(target - current.size(), room));
    boolean complete = old.isEmpty() && inFlight == 0 && kill.isEmpty() && current.size() == target
        && healthyCurrent == target;
    return new AppPlan(launch, kill, complete);
  }
}
