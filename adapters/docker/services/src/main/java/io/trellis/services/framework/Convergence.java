package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.deploy.AppPlan;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import io.trellis.services.launch.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every change, brings each app toward its definition: kills what its plan says to kill,
 * notes how many instances to launch (the offers handler launches them), finishes deployments
 * whose apps are done, and revives or suppresses offers.
 */
final class Convergence {
  private static final Logger log = LoggerFactory.getLogger(Convergence.class);
  private final Parts p;
  private final Unreachable unreachable;
  private final Demands demands;
  private io.trellis.core.time.Timer.Cancellable wakeUp;

  Convergence(Parts parts) {
    this.p = parts;
    this.unreachable = new Unreachable(parts);
    this.demands = new Demands(parts);
    parts.demands = demands;
  }

  void run() {
    if (!p.subscribed || !p.reconciling.isEmpty()) {
      return;
    }
    State s = p.state;
    Instant now = p.clock.instant();
    Unreachable.Sweep unreachable = this.unreachable.sweep(now);
    Map<String, List<Instance>> byApp = new java.util.HashMap<>();
    for (Instance i : s.instances.values()) {
      byApp.computeIfAbsent(i.appId(), k -> new ArrayList<>()).add(i);
    }
    Set<String> complete = new HashSet<>();
    Instant nextWake = unreachable.next();
    boolean wantOffers = false;
    s.toLaunch.clear();
    for (String appId : new HashSet<>(byApp.keySet())) {
      if (!s.apps.containsKey(appId)) {
        kill(AppPlan.stop(byApp.get(appId)).toKill(), "its app was removed");
      }
    }
    for (AppDefinition app : s.apps.values()) {
      // One app the framework cannot handle is reported on that app; the others go on.
      try {
        AppPlan plan = AppPlan.of(app, byApp.getOrDefault(app.id(), List.of()),
            i -> app.readinessChecks().isEmpty() || p.state.ready.contains(i.taskId()),
            i -> unreachable.inactive().contains(i.taskId()));
        kill(plan.toKill(), "the app's plan replaces or scales it down");
        if (plan.complete()) {
          complete.add(app.id());
        }
        if (plan.toLaunch() > 0) {
          String blocked = dependencyBlock(app, byApp);
          Backoff b = s.backoffs.getOrDefault(app.id(), Backoff.NONE);
          if (blocked == null && !b.waiting(now)) {
            s.toLaunch.put(app.id(), plan.toLaunch());
            wantOffers = true;
          } else if (blocked == null) {
            nextWake = nextWake == null || b.until().isBefore(nextWake) ? b.until() : nextWake;
          }
          Queue.waiting(p, app, plan.toLaunch(), blocked, b.left(now));
        } else {
          s.queue.remove(app.id());
        }
      } catch (RuntimeException e) {
        Queue.failed(p, app, e);
      }
    }
    s.queue.keySet().removeIf(id -> !s.apps.containsKey(id));
    p.problems.keySet().removeIf(id -> !s.apps.containsKey(id));
    finishDeployments(complete, byApp);
    offers(wantOffers);
    if (nextWake != null) {
      if (wakeUp != null) {
        wakeUp.cancel();
      }
      wakeUp = p.loop.schedule(Duration.between(now, nextWake).plusMillis(10), this::run);
    }
  }

  private String dependencyBlock(AppDefinition app, Map<String, List<Instance>> byApp) {
    for (String dep : app.dependencies()) {
      AppDefinition d = p.state.apps.get(dep);
      if (d == null) {
        return "waiting for dependency " + dep + ", which does not exist";
      }
      long healthy = byApp.getOrDefault(dep, List.of()).stream()
          .filter(i -> i.isActive() && i.isHealthy(d.hasHealthChecks())).count();
      if (healthy < d.instances()) {
        return "waiting for dependency " + dep + " (" + healthy + " of " + d.instances() + " instances healthy)";
      }
    }
    return null;
  }

  private void kill(List<Instance> instances, String why) {
    for (Instance i : instances) {
      log.debug("killing {}: {}", i.taskId(), why);
      p.kill(i);
    }
  }

  private void finishDeployments(Set<String> complete, Map<String, List<Instance>> byApp) {
    for (Deployment d : new ArrayList<>(p.state.deployments.values())) {
      boolean done = true;
      for (String appId : d.affectedApps()) {
        boolean stopped = d.stops(appId) && !p.state.apps.containsKey(appId)
            && byApp.getOrDefault(appId, List.of()).isEmpty();
        done &= stopped || complete.contains(appId);
      }
      if (done) {
        p.state.deployments.remove(d.id());
        p.store.deleteDeployment(d.id());
        log.info("deployment {} of {} succeeded", d.id(), d.affectedApps());
        p.bus.publish("deployment_step_success", "id", d.id(), "plan", d,
            "currentStep", d.steps().isEmpty() ? null : d.steps().get(d.steps().size() - 1));
        p.bus.publish("deployment_success", "id", d.id(), "plan", d);
      }
    }
  }

  private void offers(boolean want) {
    demands.declare(p.state.toLaunch);
    try {
      if (want && (p.suppressed || (p.declinedIdle && !p.waiting().equals(p.declinedWaiting)))) {
        p.client.revive(List.of());
        p.suppressed = false;
        p.declinedIdle = false;
        p.declinedWaiting = null;
        log.debug("reviving offers: instances to launch");
      } else if (!want && !p.suppressed) {
        p.client.suppress(List.of());
        p.suppressed = true;
        log.debug("suppressing offers: nothing to launch");
      }
    } catch (RuntimeException e) {
      log.debug("revive/suppress failed: {}", e.getMessage());
    }
  }
}
