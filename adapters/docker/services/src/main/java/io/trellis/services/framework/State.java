package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import io.trellis.services.launch.Backoff;
import io.trellis.services.launch.QueueEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The framework's state, owned by the event loop: apps, instances, deployments, launch delays
 * and what each waiting app is waiting for. Read by the API inside the loop.
 */
public final class State {
  final Map<String, AppDefinition> apps = new TreeMap<>();
  final Map<String, Instance> instances = new LinkedHashMap<>();
  final Map<String, Deployment> deployments = new LinkedHashMap<>();
  final Map<String, Backoff> backoffs = new HashMap<>();
  final Map<String, Map<String, Object>> lastFailures = new HashMap<>();
  final Map<String, Integer> toLaunch = new HashMap<>();
  final Map<String, QueueEntry> queue = new TreeMap<>();
  /** Instances that passed their app's readiness checks (probed during deployments). */
  final java.util.Set<String> ready = new java.util.HashSet<>();
  /** The last readiness answer per instance. */
  final Map<String, String> readinessAnswers = new HashMap<>();
  String frameworkId;
  String master;

  public Map<String, AppDefinition> apps() {
    return apps;
  }

  public AppDefinition app(String id) {
    return apps.get(id);
  }

  public List<Instance> instancesOf(String appId) {
    List<Instance> out = new ArrayList<>();
    for (Instance i : instances.values()) {
      if (i.appId().equals(appId)) {
        out.add(i);
      }
    }
    return out;
  }

  public Map<String, Instance> instances() {
    return instances;
  }

  public Map<String, Deployment> deployments() {
    return deployments;
  }

  public List<Deployment> deploymentsOf(String appId) {
    return deployments.values().stream().filter(d -> d.affectedApps().contains(appId)).toList();
  }

  public Map<String, Object> lastFailure(String appId) {
    return lastFailures.get(appId);
  }

  public Map<String, QueueEntry> queue() {
    return queue;
  }

  public boolean isReady(String taskId) {
    return ready.contains(taskId);
  }

  public String readinessAnswer(String taskId) {
    return readinessAnswers.get(taskId);
  }

  public String frameworkId() {
    return frameworkId;
  }

  public String master() {
    return master;
  }
}
