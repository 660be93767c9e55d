package io.trellis.services.app;

import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.placement.Constraints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every rule an app definition must follow, each broken rule reported by JSON path. */
final class AppValidator {
  private static final Set<String> CONTAINER_TYPES = Set.of("DOCKER", "MESOS");
  private static final Set<String> NETWORKS = Set.of("BRIDGE", "HOST", "NONE", "USER");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "tcp,udp", "udp,tcp");
  private static final Set<String> CHECKS = Set.of("HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP",
      "MESOS_HTTPS", "MESOS_TCP");

  private AppValidator() {}

  static List<FieldError> validate(AppDefinition raw) {
    List<FieldError> errors = new ArrayList<>();
    String idProblem = AppId.problem(raw.id());
    if (idProblem != null) {
      errors.add(new FieldError("$.id", idProblem));
    }
    AppDefinition app = raw.withDefaults();
    min(errors, "$.instances", app.instances(), 0);
    min(errors, "$.cpus", app.cpus(), 0);
    min(errors, "$.mem", app.mem(), 0);
    min(errors, "$.disk", app.disk(), 0);
    min(errors, "$.gpus", app.gpus(), 0);
    min(errors, "$.backoffSeconds", app.backoffSeconds(), 0);
    min(errors, "$.backoffFactor", app.backoffFactor(), 1);
    min(errors, "$.maxLaunchDelaySeconds", app.maxLaunchDelaySeconds(), 0);
    if (app.taskKillGracePeriodSeconds() != null) {
      min(errors, "$.taskKillGracePeriodSeconds", app.taskKillGracePeriodSeconds(), 0);
    }
    boolean hasImage = app.container() != null && app.container().docker() != null
        && app.container().docker().image() != null && !app.container().docker().image().isBlank();
    if ((app.cmd() == null || app.cmd().isBlank()) && (app.args() == null || app.args().isEmpty()) && !hasImage) {
      errors.add(new FieldError("$.cmd", "an app needs cmd, args or container.docker.image"));
    }
    if (app.cmd() != null && app.args() != null && !app.args().isEmpty()) {
      errors.add(new FieldError("$.args", "give either cmd or args, not both"));
    }
    for (Map.Entry<String, String> e : app.env().entrySet()) {
      if (e.getKey().isBlank() || e.getKey().contains("=")) {
        errors.add(new FieldError("$.env." + e.getKey(), "is not a valid environment variable name"));
      }
    }
    container(errors, app);
    ports(errors, app);
    healthChecks(errors, app);
    for (int i = 0; i < app.constraints().size(); i++) {
      String problem = Constraints.problem(app.constraints().get(i));
      if (problem != null) {
        errors.add(new FieldError("$.constraints[" + i + "]", problem));
      }
    }
    UpgradeStrategy u = app.upgradeStrategy();
    between(errors, "$.upgradeStrategy.minimumHealthCapacity", u.minimumHealthCapacity());
    between(errors, "$.upgradeStrategy.maximumOverCapacity", u.maximumOverCapacity());
    UnreachableStrategy unreachable = app.unreachable();
    if (unreachable.enabled()) {
      min(errors, "$.unreachableStrategy.inactiveAfterSeconds", unreachable.inactiveAfterSeconds(), 0);
      min(errors, "$.unreachableStrategy.expungeAfterSeconds", unreachable.expungeAfterSeconds(), 0);
      if (unreachable.expungeAfterSeconds() < unreachable.inactiveAfterSeconds()) {
        errors.add(new FieldError("$.unreachableStrategy.expungeAfterSeconds", unreachable.expungeAfterSeconds()
            + " is below inactiveAfterSeconds (" + unreachable.inactiveAfterSeconds() + ")"));
      }
    }
    Limits.check(app, errors);
    for (int i = 0; i < app.dependencies().size(); i++) {
      String dep = raw.dependencies().get(i);
      String problem = AppId.problem(app.dependencies().get(i));
      if (problem != null) {
        errors.add(new FieldError("$.dependencies[" + i + "]", problem));
      } else if (app.dependencies().get(i).equals(app.id())) {
        errors.add(new FieldError("$.dependencies[" + i + "]", "'" + dep + "' is the app itself"));
      }
    }
    return errors;
  }

  private static void container(List<FieldError> errors, AppDefinition app) {
    Container c = app.container();
    if (c == null) {
      return;
    }
    if (c.type() == null || !CONTAINER_TYPES.contains(c.type())) {
      errors.add(new FieldError("$.container.type", "must be DOCKER or MESOS, not " + c.type()));
    }
    if ("MESOS".equals(c.type()) && c.docker() != null && c.docker().image() != null) {
      errors.add(new FieldError("$.container.docker.image", "a MESOS container with a Docker image (Mesos'"
          + " universal containerizer) is not supported: use \"type\": \"DOCKER\" to run the image in Docker,"
          + " or leave the image out to run the command on the host"));
    }
    if (c.usesDocker() && (c.docker() == null || c.docker().image() == null || c.docker().image().isBlank())) {
      errors.add(new FieldError("$.container.docker.image", "is required for a DOCKER container"));
    }
    if (c.docker() != null && c.docker().network() != null && !NETWORKS.contains(c.docker().network().toUpperCase())) {
      errors.add(new FieldError("$.container.docker.network", "must be BRIDGE, HOST, NONE or USER, not "
          + c.docker().network()));
    }
    String base = c.portMappings() != null ? "$.container.portMappings" : "$.container.docker.portMappings";
    List<PortMapping> mappings = c.mappings();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < mappings.size(); i++) {
      PortMapping m = mappings.get(i);
      port(errors, base + "[" + i + "].containerPort", m.containerPort());
      port(errors, base + "[" + i + "].hostPort", m.hostPort());
      if (!PROTOCOLS.contains(m.protocol())) {
        errors.add(new FieldError(base + "[" + i + "].protocol", "must be tcp, udp or tcp,udp, not " + m.protocol()));
      }
      if (m.name() != null && !names.add(m.name())) {
        errors.add(new FieldError(base + "[" + i + "].name", "'" + m.name() + "' is used twice"));
      }
    }
    if (!mappings.isEmpty() && "HOST".equals(c.network())) {
      errors.add(new FieldError(base, "port mappings need BRIDGE or USER networking; HOST networking uses portDefinitions"));
    }
  }

  private static void ports(List<FieldError> errors, AppDefinition app) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < app.portDefinitions().size(); i++) {
      PortDefinition p = app.portDefinitions().get(i);
      port(errors, "$.portDefinitions[" + i + "].port", p.port());
      if (!PROTOCOLS.contains(p.protocol())) {
        errors.add(new FieldError("$.portDefinitions[" + i + "].protocol", "must be tcp, udp or tcp,udp, not " + p.protocol()));
      }
      if (p.name() != null && !names.add(p.name())) {
        errors.add(new FieldError("$.portDefinitions[" + i + "].name", "'" + p.name() + "' is used twice"));
      }
    }
  }

  private static void healthChecks(List<FieldError> errors, AppDefinition app) {
    int ports = app.hostPortCount();
    List<String> names = app.hostPortNames();
    for (int i = 0; i < app.healthChecks().size(); i++) {
      HealthCheck h = app.healthChecks().get(i);
      String at = "$.healthChecks[" + i + "]";
      if (!CHECKS.contains(h.protocol())) {
        errors.add(new FieldError(at + ".protocol", "must be one of " + new java.util.TreeSet<>(CHECKS) + ", not " + h.protocol()));
        continue;
      }
      if (h.protocol().equals("COMMAND")) {
        if (h.command() == null || h.command().get("value") == null || h.command().get("value").isBlank()) {
          errors.add(new FieldError(at + ".command.value", "is required for a COMMAND check"));
        }
      } else if (h.portName() != null) {
        if (!names.contains(h.portName())) {
          errors.add(new FieldError(at + ".portName", "no port is named '" + h.portName() + "'"));
        }
      } else if (h.port() == null && (h.portIndex() < 0 || h.portIndex() >= ports)) {
        errors.add(new FieldError(at + ".portIndex", h.portIndex() + " is out of range: the app has "
            + ports + (ports == 1 ? " port" : " ports")));
      }
      min(errors, at + ".gracePeriodSeconds", h.gracePeriodSeconds(), 0);
      min(errors, at + ".intervalSeconds", h.intervalSeconds(), 0.001);
      min(errors, at + ".timeoutSeconds", h.timeoutSeconds(), 0.001);
      min(errors, at + ".maxConsecutiveFailures", h.maxConsecutiveFailures(), 0);
      min(errors, at + ".delaySeconds", h.delaySeconds(), 0);
    }
  }

  private static void port(List<FieldError> errors, String path, Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      errors.add(new FieldError(path, port + " is not a port number (0 to 65535)"));
    }
  }

  private static void min(List<FieldError> errors, String path, Number value, double min) {
    if (value != null && value.doubleValue() < min) {
      errors.add(new FieldError(path, value + " is below the minimum " + (min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min))));
    }
  }

  private static void between(List<FieldError> errors, String path, Double value) {
    if (value != null && (value < 0 || value > 1)) {
      errors.add(new FieldError(path, value + " must be between 0 and 1"));
    }
  }
}
