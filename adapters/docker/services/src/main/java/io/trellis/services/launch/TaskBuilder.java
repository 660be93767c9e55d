package io.trellis.services.launch;

import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.HealthCheckSpec;
import io.trellis.api.TaskSpec;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppId;
import io.trellis.services.app.Container;
import io.trellis.services.app.HealthCheck;
import io.trellis.services.app.PortMapping;
import io.trellis.services.placement.Fit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an app and the place found for one instance into the task the master launches. */
public final class TaskBuilder {
  private TaskBuilder() {}

  public static String newTaskId(String appId) {
    return AppId.taskPrefix(appId) + "." + java.util.UUID.randomUUID();
  }

  public static TaskSpec task(AppDefinition app, String taskId, String agentId, Fit fit) {
    Map<String, String> env = new LinkedHashMap<>(app.env());
    env.put("TRELLIS_APP_ID", app.id());
    env.put("TRELLIS_APP_VERSION", app.version());
    List<String> names = app.hostPortNames();
    for (int i = 0; i < fit.hostPorts().size(); i++) {
      if (names.size() > i && names.get(i) != null) {
        env.put("PORT_" + names.get(i).toUpperCase().replaceAll("[^A-Z0-9_]", "_"), fit.hostPorts().get(i).toString());
      }
    }
    // Secret values reach the task; the command names them so that nothing shows them.
    app.secretEnv().forEach((variable, secret) -> env.put(variable, app.secrets().getOrDefault(secret, "")));
    List<String> secrets = List.copyOf(app.secretEnv().keySet());
    CommandSpec command;
    if (app.cmd() != null) {
      command = new CommandSpec(app.cmd(), true, List.of(), env, app.user(), secrets);
    } else if (app.args() != null && !app.args().isEmpty()) {
      command = new CommandSpec(app.args().get(0), false, app.args().subList(1, app.args().size()), env, app.user(),
          secrets);
    } else {
      command = new CommandSpec(null, false, List.of(), env, app.user(), secrets);
    }
    Map<String, String> labels = new HashMap<>(app.labels());
    labels.put("trellis.app-id", app.id());
    labels.put("trellis.app-version", app.configVersion());
    List<HealthCheckSpec> checks = new ArrayList<>();
    for (HealthCheck h : app.healthChecks()) {
      checks.add(new HealthCheckSpec(h.agentProtocol(), port(app, h, fit.hostPorts()), h.path(),
          h.command() == null ? null : h.command().get("value"), h.gracePeriodSeconds(),
          h.intervalSeconds(), h.timeoutSeconds(), h.maxConsecutiveFailures(), h.delaySeconds()));
    }
    return new TaskSpec(taskId, app.id(), agentId, fit.taken().toString(), command, labels,
        app.taskKillGracePeriodSeconds(), container(app, fit.hostPorts()), checks, app.priority(), app.preemptible());
  }

  private static Integer port(AppDefinition app, HealthCheck h, List<Integer> hostPorts) {
    if (h.agentProtocol().equals("COMMAND")) {
      return null;
    }
    if (h.port() != null) {
      return h.port();
    }
    int index = h.portName() != null ? app.hostPortNames().indexOf(h.portName()) : h.portIndex();
    return index >= 0 && index < hostPorts.size() ? hostPorts.get(index) : null;
  }

  private static ContainerSpec container(AppDefinition app, List<Integer> hostPorts) {
    Container c = app.container();
    if (c == null || !c.usesDocker()) {
      return null;
    }
    List<Map<String, Object>> mappings = new ArrayList<>();
    List<PortMapping> ms = c.mappings();
    for (int i = 0; i < ms.size(); i++) {
      PortMapping m = ms.get(i);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("containerPort", m.containerPort());
      out.put("hostPort", i < hostPorts.size() ? hostPorts.get(i) : m.hostPort());
      out.put("protocol", m.protocol());
      if (m.name() != null) {
        out.put("name", m.name());
      }
      mappings.add(out);
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (c.docker().parameters() != null) {
      for (Map<String, String> p : c.docker().parameters()) {
        parameters.put(p.get("key"), p.get("value"));
      }
    }
    return new ContainerSpec("DOCKER", c.docker().image(), c.network(), c.docker().forcePullImage(),
        c.docker().privileged(), mappings, c.volumes(), parameters);
  }
}
