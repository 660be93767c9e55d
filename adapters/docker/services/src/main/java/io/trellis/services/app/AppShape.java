package io.trellis.services.app;

import java.util.Map;
import java.util.Set;

/** The JSON shape of an app definition: every field Trellis reads, supports or tolerates. */
final class AppShape {
  private AppShape() {}

  private static final Shape.Obj PORT_MAPPING = new Shape.Obj(Map.of(
      "containerPort", Shape.INTEGER, "hostPort", Shape.INTEGER, "servicePort", Shape.INTEGER,
      "protocol", Shape.STRING, "name", Shape.STRING, "labels", new Shape.MapOf(Shape.STRING)),
      Set.of("networkNames"), Set.of());

  private static final Shape.Obj DOCKER = new Shape.Obj(Map.of(
      "image", Shape.STRING, "network", Shape.STRING,
      "portMappings", new Shape.ArrayOf(PORT_MAPPING), "privileged", Shape.BOOLEAN,
      "parameters", new Shape.ArrayOf(new Shape.MapOf(Shape.STRING)), "forcePullImage", Shape.BOOLEAN),
      Set.of("credential", "pullConfig"), Set.of());

  private static final Shape.Obj CONTAINER = new Shape.Obj(Map.of(
      "type", Shape.STRING, "docker", DOCKER, "portMappings", new Shape.ArrayOf(PORT_MAPPING),
      "volumes", new Shape.ArrayOf(new Shape.MapOf(Shape.ANY)), "forcePullImage", Shape.BOOLEAN),
      Set.of("linuxInfo"), Set.of());

  private static final Shape.Obj NETWORK = new Shape.Obj(Map.of("mode", Shape.STRING, "name", Shape.STRING,
      "labels", new Shape.MapOf(Shape.STRING)), Set.of(), Set.of());

  private static final Shape.Obj PORT_DEFINITION = new Shape.Obj(Map.of(
      "port", Shape.INTEGER, "protocol", Shape.STRING, "name", Shape.STRING,
      "labels", new Shape.MapOf(Shape.STRING)), Set.of(), Set.of());

  private static final Shape.Obj HEALTH_CHECK = new Shape.Obj(Map.ofEntries(
      Map.entry("protocol", Shape.STRING), Map.entry("path", Shape.STRING),
      Map.entry("portIndex", Shape.INTEGER), Map.entry("port", Shape.INTEGER),
      Map.entry("portName", Shape.STRING), Map.entry("command", new Shape.MapOf(Shape.STRING)),
      Map.entry("gracePeriodSeconds", Shape.NUMBER), Map.entry("intervalSeconds", Shape.NUMBER),
      Map.entry("timeoutSeconds", Shape.NUMBER), Map.entry("maxConsecutiveFailures", Shape.INTEGER),
      Map.entry("delaySeconds", Shape.NUMBER), Map.entry("ignoreHttp1xx", Shape.BOOLEAN)),
      Set.of("ipProtocol"), Set.of());

  private static final Shape.Obj READINESS_CHECK = new Shape.Obj(Map.of(
      "name", Shape.STRING, "protocol", Shape.STRING, "path", Shape.STRING, "portName", Shape.STRING,
      "intervalSeconds", Shape.NUMBER, "timeoutSeconds", Shape.NUMBER,
      "httpStatusCodesForReady", new Shape.ArrayOf(Shape.INTEGER), "preserveLastResponse", Shape.BOOLEAN),
      Set.of(), Set.of());

  private static final Shape.Obj UPGRADE_STRATEGY = new Shape.Obj(Map.of(
      "minimumHealthCapacity", Shape.NUMBER, "maximumOverCapacity", Shape.NUMBER),
      Set.of(), Set.of());

  private static final Shape.Obj UNREACHABLE_STRATEGY = new Shape.Obj(Map.of(
      "inactiveAfterSeconds", Shape.NUMBER, "expungeAfterSeconds", Shape.NUMBER, "disabled", Shape.BOOLEAN),
      Set.of(), Set.of());

  static final Shape.Obj APP = new Shape.Obj(Map.ofEntries(
      Map.entry("id", Shape.STRING), Map.entry("cmd", Shape.STRING),
      Map.entry("args", new Shape.ArrayOf(Shape.STRING)), Map.entry("user", Shape.STRING),
      Map.entry("env", new Shape.MapOf(Shape.STRING)), Map.entry("instances", Shape.INTEGER),
      Map.entry("cpus", Shape.NUMBER), Map.entry("mem", Shape.NUMBER), Map.entry("disk", Shape.NUMBER),
      Map.entry("gpus", Shape.INTEGER),
      Map.entry("constraints", new Shape.ArrayOf(new Shape.ArrayOf(Shape.STRING))),
      Map.entry("container", CONTAINER), Map.entry("portDefinitions", new Shape.ArrayOf(PORT_DEFINITION)),
      Map.entry("requirePorts", Shape.BOOLEAN), Map.entry("healthChecks", new Shape.ArrayOf(HEALTH_CHECK)),
      Map.entry("readinessChecks", new Shape.ArrayOf(READINESS_CHECK)),
      Map.entry("upgradeStrategy", UPGRADE_STRATEGY),
      Map.entry("unreachableStrategy", UNREACHABLE_STRATEGY), Map.entry("backoffSeconds", Shape.NUMBER),
      Map.entry("backoffFactor", Shape.NUMBER), Map.entry("maxLaunchDelaySeconds", Shape.NUMBER),
      Map.entry("dependencies", new Shape.ArrayOf(Shape.STRING)),
      Map.entry("labels", new Shape.MapOf(Shape.STRING)), Map.entry("role", Shape.STRING),
      Map.entry("taskKillGracePeriodSeconds", Shape.NUMBER),
      Map.entry("priority", Shape.INTEGER), Map.entry("preemptible", Shape.BOOLEAN),
      Map.entry("ports", new Shape.ArrayOf(Shape.INTEGER)),
      Map.entry("networks", new Shape.ArrayOf(NETWORK))),
      Set.of("executor", "uris", "fetch", "storeUrls", "acceptedResourceRoles", "ipAddress",
          "residency", "killSelection", "tty",
          "resourceLimits", "executorResources"),
      Set.of("version", "versionInfo", "tasksRunning", "tasksStaged", "tasksHealthy",
          "tasksUnhealthy", "deployments", "lastTaskFailure", "tasks", "taskStats",
          "readinessCheckResults", "warnings"));
}
