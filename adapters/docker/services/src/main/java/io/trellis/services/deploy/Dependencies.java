package io.trellis.services.deploy;

import io.trellis.services.app.AppDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of apps: the order a change creates them in, and the cycle a change
 * would close (an app that waits, through its dependencies, for itself never starts).
 */
public final class Dependencies {
  private Dependencies() {}

  /** Apps whose dependencies inside the same change come first; otherwise in the given order. */
  public static List<AppDefinition> order(List<AppDefinition> apps) {
    Map<String, AppDefinition> left = new LinkedHashMap<>();
    apps.forEach(a -> left.put(a.id(), a));
    List<AppDefinition> ordered = new ArrayList<>();
    while (!left.isEmpty()) {
      AppDefinition next = left.values().stream()
          .filter(a -> depsOf(a).stream().noneMatch(left::containsKey))
          .findFirst().orElse(left.values().iterator().next());
      ordered.add(next);
      left.remove(next.id());
    }
    return ordered;
  }

  /**
   * The first cycle through one of {@code changed} once they replace their namesakes among
   * {@code existing} and {@code removed} are gone: the path from a changed app back to itself
   * ({@code [/a, /b, /a]}), or an empty list. The existing apps alone have no cycle (every change
   * was checked), so a new cycle runs through a changed app.
   */
  public static List<String> cycle(Collection<AppDefinition> existing, List<AppDefinition> changed,
      Collection<String> removed) {
    Map<String, List<String>> graph = new HashMap<>();
    existing.forEach(a -> graph.put(a.id(), depsOf(a)));
    removed.forEach(graph::remove);
    changed.forEach(a -> graph.put(a.id(), depsOf(a)));
    for (AppDefinition a : changed) {
      List<String> path = new ArrayList<>();
      path.add(a.id());
      if (back(a.id(), graph, path, new HashSet<>())) {
        return path;
      }
    }
    return List.of();
  }

  private static List<String> depsOf(AppDefinition a) {
    return a.dependencies() == null ? List.of() : a.dependencies();
  }

  /** Depth first from the last app of {@code path}; true with the path completed when it reaches {@code start}. */
  private static boolean back(String start, Map<String, List<String>> graph, List<String> path, Set<String> seen) {
    String at = path.get(path.size() - 1);
    for (String dep : graph.getOrDefault(at, List.of())) {
      path.add(dep);
      if (dep.equals(start) || (seen.add(dep) && back(start, graph, path, seen))) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }
}
