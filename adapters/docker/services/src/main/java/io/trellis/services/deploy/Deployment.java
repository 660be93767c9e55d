package io.trellis.services.deploy;

import io.trellis.services.app.AppDefinition;
import java.util.List;
import java.util.Map;

/**
 * A change being rolled out: the apps it affects, its steps as shown by {@code /v2/deployments},
 * and the definitions before it (to roll back when cancelled). Apps absent from {@code previous}
 * did not exist before; a rollback stops them.
 */
public record Deployment(String id, String version, List<String> affectedApps, List<List<Action>> steps,
    Map<String, AppDefinition> previous) {
  public Deployment {
    affectedApps = List.copyOf(affectedApps);
    steps = steps.stream().map(List::copyOf).toList();
    previous = previous == null ? Map.of() : Map.copyOf(previous);
  }

  /** One action of a step: {@code StartApplication}, {@code ScaleApplication}, {@code RestartApplication}, {@code StopApplication}. */
  public record Action(String action, String app) {}

  public static Deployment of(String id, String version, String appId, AppDefinition before, String... actions) {
    List<List<Action>> steps = new java.util.ArrayList<>();
    for (String a : actions) {
      steps.add(List.of(new Action(a, appId)));
    }
    return new Deployment(id, version, List.of(appId), steps,
        before == null ? Map.of() : Map.of(appId, before));
  }

  /** True when this deployment stops the app. */
  public boolean stops(String appId) {
    return steps.stream().flatMap(List::stream)
        .anyMatch(a -> a.app().equals(appId) && a.action().equals("StopApplication"));
  }
}
