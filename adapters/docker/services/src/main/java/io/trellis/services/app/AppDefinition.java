package io.trellis.services.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A long-running app with the fields of the {@code /v2/apps} API. Read from JSON with absent
 * fields as {@code null}; {@link #withDefaults()} fills the documented defaults.
 *
 * @param version when this definition was stored (ISO 8601)
 * @param versionInfo when the configuration and the scale last changed; instances started from
 *     an older {@code lastConfigChangeAt} are replaced by a deployment
 * @param priority the priority of the app's tasks for preemption (lowest are taken first), from
 *     -1000000000 to 1000000000; {@code null} for the services framework's (0)
 * @param preemptible {@code false}: the app's tasks are never preempted; {@code null} means true
 * @param secretEnv environment variables whose values are secrets, by variable, naming the secret
 *     ({@code "env": {"DB_PASSWORD": {"secret": "db"}}} in the API)
 * @param secrets the secrets' values by name ({@code "secrets": {"db": {"value": "..."}}} in the
 *     API): stored with the app, passed to its tasks, never shown by read APIs, logs or {@link
 *     #toString}
 */
public record AppDefinition(String id, String cmd, List<String> args, String user,
    Map<String, String> env, Integer instances, Double cpus, Double mem, Double disk, Integer gpus,
    List<List<String>> constraints, Container container, List<PortDefinition> portDefinitions,
    Boolean requirePorts, List<HealthCheck> healthChecks, List<ReadinessCheck> readinessChecks,
    UpgradeStrategy upgradeStrategy, UnreachableStrategy unreachableStrategy, Double backoffSeconds, Double backoffFactor,
    Double maxLaunchDelaySeconds, List<String> dependencies, Map<String, String> labels, String role,
    Double taskKillGracePeriodSeconds, String version, VersionInfo versionInfo, Integer priority,
    Boolean preemptible, Map<String, String> secretEnv, Map<String, String> secrets) {

  public AppDefinition {
    args = args == null ? null : List.copyOf(args);
    env = env == null ? null : Map.copyOf(env);
    constraints = constraints == null ? null : constraints.stream().map(List::copyOf).toList();
    portDefinitions = portDefinitions == null ? null : List.copyOf(portDefinitions);
    healthChecks = healthChecks == null ? null : List.copyOf(healthChecks);
    readinessChecks = readinessChecks == null ? null : List.copyOf(readinessChecks);
    dependencies = dependencies == null ? null : List.copyOf(dependencies);
    labels = labels == null ? null : Map.copyOf(labels);
    secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
  }

  /** Never a secret's value. */
  @Override
  public String toString() {
    return "AppDefinition[id=" + id + ", version=" + version + ", cmd=" + cmd + ", args=" + args + ", user=" + user
        + ", env=" + env + ", secretEnv=" + secretEnv + ", secrets=" + secrets.keySet() + ", instances=" + instances
        + ", container=" + container + "]";
  }

  /** The documented defaults for every absent field; ids made absolute. */
  public AppDefinition withDefaults() {
    List<PortDefinition> ports = portDefinitions;
    boolean bridged = container != null && container.usesDocker() && !"HOST".equals(container.network());
    if (ports == null) {
      ports = bridged ? List.of() : List.of(new PortDefinition(0, "tcp", null, null));
    }
    List<PortDefinition> portsWithDefaults = new ArrayList<>();
    for (PortDefinition p : ports) {
      portsWithDefaults.add(p.withDefaults());
    }
    List<HealthCheck> checks = new ArrayList<>();
    for (HealthCheck h : healthChecks == null ? List.<HealthCheck>of() : healthChecks) {
      checks.add(h.withDefaults());
    }
    return new AppDefinition(AppId.absolute(id), cmd, args, user, env == null ? Map.of() : env,
        instances == null ? 1 : instances, cpus == null ? 1.0 : cpus, mem == null ? 128.0 : mem,
        disk == null ? 0.0 : disk, gpus == null ? 0 : gpus, constraints == null ? List.of() : constraints,
        container, portsWithDefaults, requirePorts == null ? false : requirePorts, checks,
        readinessChecks == null ? List.of() : readinessChecks,
        (upgradeStrategy == null ? UpgradeStrategy.DEFAULT : upgradeStrategy).withDefaults(),
        (unreachableStrategy == null ? UnreachableStrategy.DEFAULT : unreachableStrategy).withDefaults(),
        backoffSeconds == null ? 1.0 : backoffSeconds, backoffFactor == null ? 1.15 : backoffFactor,
        maxLaunchDelaySeconds == null ? 300.0 : maxLaunchDelaySeconds,
        dependencies == null ? List.of() : dependencies.stream().map(d -> AppId.resolve(AppId.absolute(id), d)).toList(),
        labels == null ? Map.of() : labels, role, taskKillGracePeriodSeconds, version, versionInfo, priority,
        preemptible, secretEnv, secrets);
  }

  /** Host ports an instance needs: one per port definition, or per port mapping in BRIDGE mode. */
  public int hostPortCount() {
    if (container != null && container.usesDocker() && !"HOST".equals(container.network())) {
      return container.mappings().size();
    }
    return portDefinitions == null ? 0 : portDefinitions.size();
  }

  /** The fixed host ports asked for (non-zero), in order; 0 where any port will do. */
  public List<Integer> requestedHostPorts() {
    List<Integer> out = new ArrayList<>();
    if (container != null && container.usesDocker() && !"HOST".equals(container.network())) {
      for (PortMapping m : container.mappings()) {
        out.add(m.hostPort());
      }
    } else if (portDefinitions != null) {
      for (PortDefinition p : portDefinitions) {
        out.add(Boolean.TRUE.equals(requirePorts) && p.port() != null ? p.port() : 0);
      }
    }
    return out;
  }

  /** Names of the host ports, in order (null where unnamed). */
  public List<String> hostPortNames() {
    List<String> out = new ArrayList<>();
    if (container != null && container.usesDocker() && !"HOST".equals(container.network())) {
      for (PortMapping m : container.mappings()) {
        out.add(m.name());
      }
    } else if (portDefinitions != null) {
      for (PortDefinition p : portDefinitions) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** The unreachable strategy, Marathon's defaults for definitions stored without one. */
  public UnreachableStrategy unreachable() {
    return (unreachableStrategy == null ? UnreachableStrategy.DEFAULT : unreachableStrategy).withDefaults();
  }

  public boolean hasHealthChecks() {
    return healthChecks != null && !healthChecks.isEmpty();
  }

  /** The version instances must have been started from not to be replaced. */
  public String configVersion() {
    return versionInfo == null ? version : versionInfo.lastConfigChangeAt();
  }

  public AppDefinition withInstances(int n) {
    return new AppDefinition(id, cmd, args, user, env, n, cpus, mem, disk, gpus, constraints, container,
        portDefinitions, requirePorts, healthChecks, readinessChecks, upgradeStrategy, unreachableStrategy, backoffSeconds,
        backoffFactor, maxLaunchDelaySeconds, dependencies, labels, role, taskKillGracePeriodSeconds,
        version, versionInfo, priority, preemptible, secretEnv, secrets);
  }

  public AppDefinition withVersion(String v, VersionInfo info) {
    return new AppDefinition(id, cmd, args, user, env, instances, cpus, mem, disk, gpus, constraints,
        container, portDefinitions, requirePorts, healthChecks, readinessChecks, upgradeStrategy,
        unreachableStrategy, backoffSeconds, backoffFactor, maxLaunchDelaySeconds, dependencies, labels, role,
        taskKillGracePeriodSeconds, v, info, priority, preemptible, secretEnv, secrets);
  }

  /** True when the two differ in more than scale and version: instances must be replaced. */
  public boolean configDiffers(AppDefinition other) {
    return !withInstances(0).withVersion(null, null).equals(other.withInstances(0).withVersion(null, null));
  }
}
