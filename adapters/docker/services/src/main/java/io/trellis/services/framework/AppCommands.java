package io.trellis.services.framework;

import io.trellis.services.ServiceException;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.VersionInfo;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.deploy.Dependencies;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's changes, run on the event loop: each stores the new definition and its deployment
 * before anything is launched or killed, then lets {@link Convergence} act.
 */
final class AppCommands {
  private static final Logger log = LoggerFactory.getLogger(AppCommands.class);
  private final Parts p;
  private final Convergence convergence;

  AppCommands(Parts parts, Convergence convergence) {
    this.p = parts;
    this.convergence = convergence;
  }

  /** A stored app and the deployment that rolls it out (null when nothing changed). */
  record Change(AppDefinition app, Deployment deployment) {}

  Change create(AppDefinition app) {
    refuseCycle(List.of(app), List.of(), Map.of(app.id(), "$"));
    return createChecked(app);
  }

  /**
   * Creates ({@code create}) or replaces several apps and removes others as one change: every
   * cycle and every locked app is refused before anything is stored; then the apps are changed
   * dependencies first, each with its own deployment.
   *
   * @param paths where each app is in the request ({@code $.apps[0]}), to name it in errors
   */
  List<Change> changeAll(List<AppDefinition> apps, List<String> removed, boolean create, boolean force,
      Map<String, String> paths) {
    refuseCycle(apps, removed, paths);
    if (!force) {
      for (AppDefinition a : apps) {
        if (p.state.apps.containsKey(a.id())) {
          unlock(a.id(), false);
        }
      }
      removed.forEach(id -> unlock(id, false));
    }
    if (create) {
      for (AppDefinition a : apps) {
        if (p.state.apps.containsKey(a.id())) {
          throw new ServiceException(409, "An app with id [" + a.id() + "] already exists.");
        }
      }
    }
    List<Change> changes = new ArrayList<>();
    for (AppDefinition a : Dependencies.order(apps)) {
      changes.add(create ? createChecked(a) : updateChecked(a, force));
    }
    for (String id : removed) {
      changes.add(delete(id, force));
    }
    return changes;
  }

  /** 422 naming the path of a dependency cycle that the change would close. */
  private void refuseCycle(List<AppDefinition> apps, List<String> removed, Map<String, String> paths) {
    List<String> cycle = Dependencies.cycle(p.state.apps.values(), apps, removed);
    if (!cycle.isEmpty()) {
      String path = paths.getOrDefault(cycle.get(0), "$") + ".dependencies";
      String message = "dependency cycle: " + String.join(" -> ", cycle) + " (an app in a cycle never starts)";
      throw new ServiceException(422, message, List.of(new FieldError(path, message)), Map.of());
    }
  }

  private Change createChecked(AppDefinition app) {
    if (p.state.apps.containsKey(app.id())) {
      throw new ServiceException(409, "An app with id [" + app.id() + "] already exists.");
    }
    String now = p.now();
    AppDefinition stored = app.withVersion(now, new VersionInfo(now, now));
    Deployment d = Deployment.of(UUID.randomUUID().toString(), now, app.id(), null,
        "StartApplication", "ScaleApplication");
    return apply(stored, d, "created");
  }

  /** Replaces an app's definition; a change of scale only scales, any other change restarts. */
  Change update(AppDefinition next, boolean force) {
    refuseCycle(List.of(next), List.of(), Map.of(next.id(), "$"));
    return updateChecked(next, force);
  }

  private Change updateChecked(AppDefinition next, boolean force) {
    AppDefinition current = p.state.apps.get(next.id());
    if (current == null) {
      return createChecked(next);
    }
    unlock(next.id(), force);
    String now = p.now();
    boolean restart = current.configDiffers(next);
    VersionInfo info = restart ? new VersionInfo(now, now)
        : new VersionInfo(now, current.versionInfo().lastConfigChangeAt());
    AppDefinition stored = next.withVersion(now, info);
    if (restart) {
      p.state.backoffs.remove(next.id());
    }
    Deployment d = Deployment.of(UUID.randomUUID().toString(), now, next.id(), current,
        restart ? "RestartApplication" : "ScaleApplication");
    return apply(stored, d, restart ? "updated" : "scaled to " + next.instances());
  }

  Change restart(String appId, boolean force) {
    AppDefinition current = require(appId);
    unlock(appId, force);
    String now = p.now();
    p.state.backoffs.remove(appId);
    Deployment d = Deployment.of(UUID.randomUUID().toString(), now, appId, current, "RestartApplication");
    return apply(current.withVersion(now, new VersionInfo(now, now)), d, "restarted");
  }

  Change delete(String appId, boolean force) {
    AppDefinition current = require(appId);
    unlock(appId, force);
    String now = p.now();
    Deployment d = Deployment.of(UUID.randomUUID().toString(), now, appId, current, "StopApplication");
    p.store.putDeployment(d);
    p.store.deleteApp(appId);
    p.state.apps.remove(appId);
    p.state.deployments.put(d.id(), d);
    p.state.backoffs.remove(appId);
    p.state.lastFailures.remove(appId);
    log.info("app {} deleted; deployment {} stops its instances", appId, d.id());
    p.bus.publish("app_terminated_event", "appId", appId);
    p.bus.publish("deployment_info", "plan", d, "currentStep", d.steps().get(0));
    convergence.run();
    return new Change(current, d);
  }

  /**
   * Kills instances; with {@code scale} the apps' instance counts go down by as many, else the
   * instances are replaced.
   */
  List<Instance> kill(List<String> taskIds, boolean scale, boolean force) {
    List<Instance> killed = new ArrayList<>();
    Map<String, Integer> perApp = new HashMap<>();
    for (String id : taskIds) {
      Instance i = p.state.instances.get(id);
      if (i == null) {
        throw ServiceException.notFound("Task '" + id + "' does not exist");
      }
      killed.add(i);
      perApp.merge(i.appId(), 1, Integer::sum);
    }
    if (scale) {
      for (String appId : perApp.keySet()) {
        if (p.state.apps.containsKey(appId)) {
          unlock(appId, force);
        }
      }
    }
    for (Instance i : killed) {
      p.kill(i);
    }
    if (scale) {
      for (Map.Entry<String, Integer> e : perApp.entrySet()) {
        AppDefinition app = p.state.apps.get(e.getKey());
        if (app != null) {
          update(app.withInstances(Math.max(0, app.instances() - e.getValue())), true);
        }
      }
    }
    convergence.run();
    return killed;
  }

  /** Cancels a deployment: rolls its apps back with a new deployment, or with force just drops it. */
  Deployment cancel(String id, boolean force) {
    Deployment d = p.state.deployments.remove(id);
    if (d == null) {
      throw ServiceException.notFound("DeploymentPlan " + id + " does not exist");
    }
    p.store.deleteDeployment(id);
    p.bus.publish("deployment_failed", "id", id, "plan", d, "reason", force ? "cancelled" : "cancelled and rolled back");
    if (force) {
      log.info("deployment {} cancelled without rollback", id);
      convergence.run();
      return null;
    }
    Deployment rollback = null;
    for (String appId : d.affectedApps()) {
      AppDefinition before = d.previous().get(appId);
      if (before == null) {
        if (p.state.apps.containsKey(appId)) {
          rollback = delete(appId, true).deployment();
        }
      } else {
        String now = p.now();
        p.state.backoffs.remove(appId);
        Deployment r = Deployment.of(UUID.randomUUID().toString(), now, appId, p.state.apps.get(appId),
            "RestartApplication");
        rollback = apply(before.withVersion(now, before.versionInfo()), r, "rolled back").deployment();
      }
    }
    log.info("deployment {} cancelled; rolled back by {}", id, rollback == null ? "nothing" : rollback.id());
    return rollback;
  }

  private Change apply(AppDefinition stored, Deployment d, String what) {
    p.store.putApp(stored);
    p.store.putDeployment(d);
    p.state.apps.put(stored.id(), stored);
    p.state.deployments.put(d.id(), d);
    log.info("app {} {} (version {}); deployment {}", stored.id(), what, stored.version(), d.id());
    p.bus.publish("api_post_event", "appDefinition", stored);
    p.bus.publish("deployment_info", "plan", d, "currentStep", d.steps().get(d.steps().size() - 1));
    convergence.run();
    return new Change(stored, d);
  }

  private AppDefinition require(String appId) {
    AppDefinition app = p.state.apps.get(appId);
    if (app == null) {
      throw ServiceException.notFound("App '" + appId + "' does not exist");
    }
    return app;
  }

  /** Refuses a change to an app that a deployment is rolling out, unless forced (which drops it). */
  private void unlock(String appId, boolean force) {
    List<Deployment> locking = p.state.deploymentsOf(appId);
    if (locking.isEmpty()) {
      return;
    }
    if (!force) {
      List<Map<String, Object>> ids = new ArrayList<>();
      for (Deployment d : locking) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        ids.add(m);
      }
      throw new ServiceException(409, "App is locked by one or more deployments. Override with the option"
          + " '?force=true'. View details at '/v2/deployments/" + locking.get(0).id() + "'.",
          List.of(), Map.of("deployments", ids));
    }
    for (Deployment d : locking) {
      p.state.deployments.remove(d.id());
      p.store.deleteDeployment(d.id());
      log.info("deployment {} overridden by a forced change of {}", d.id(), appId);
    }
  }

}
