package io.trellis.services.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.Json;
import io.trellis.api.TaskState;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.framework.State;
import io.trellis.services.instance.Instance;
import io.trellis.services.launch.QueueEntry;
import java.util.List;
import java.util.Map;

/** JSON of apps, tasks, deployments and the queue as the {@code /v2} API returns them; built on the loop. */
final class Views {
  /** Writes answers and events: an app's secrets never appear, wherever an app is written. */
  static final ObjectMapper MAPPER = Json.create().addMixIn(AppDefinition.class, WithoutSecrets.class);

  /** Leaves an app's secret values and references out of what the API writes. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(value = {"secrets", "secretEnv"}, allowSetters = true)
  private abstract static class WithoutSecrets {}

  private Views() {}

  static ObjectNode app(State s, AppDefinition app, boolean tasks) {
    ObjectNode node = io.trellis.services.app.AppReader.view(app);
    List<Instance> instances = s.instancesOf(app.id());
    boolean checks = app.hasHealthChecks();
    int running = 0;
    int staged = 0;
    int healthy = 0;
    int unhealthy = 0;
    for (Instance i : instances) {
      if (i.state() == TaskState.RUNNING) {
        running++;
        if (checks && Boolean.TRUE.equals(i.healthy())) {
          healthy++;
        } else if (checks && Boolean.FALSE.equals(i.healthy())) {
          unhealthy++;
        }
      } else if (i.state() == TaskState.STAGING || i.state() == TaskState.STARTING) {
        staged++;
      }
    }
    node.put("tasksRunning", running);
    node.put("tasksStaged", staged);
    node.put("tasksHealthy", healthy);
    node.put("tasksUnhealthy", unhealthy);
    ArrayNode deployments = node.putArray("deployments");
    for (Deployment d : s.deploymentsOf(app.id())) {
      deployments.addObject().put("id", d.id());
    }
    Map<String, Object> failure = s.lastFailure(app.id());
    if (failure != null) {
      node.set("lastTaskFailure", MAPPER.valueToTree(failure));
    }
    if (tasks) {
      ArrayNode list = node.putArray("tasks");
      for (Instance i : instances) {
        list.add(task(i, app));
      }
    }
    return node;
  }

  static ObjectNode task(Instance i, AppDefinition app) {
    ObjectNode t = MAPPER.createObjectNode();
    t.put("id", i.taskId());
    t.put("appId", i.appId());
    t.put("host", i.hostname());
    ArrayNode ports = t.putArray("ports");
    i.hostPorts().forEach(ports::add);
    t.putArray("servicePorts");
    t.put("slaveId", i.agentId());
    t.put("agentId", i.agentId());
    t.put("stagedAt", i.stagedAt());
    if (i.startedAt() != null) {
      t.put("startedAt", i.startedAt());
    }
    t.put("version", i.version());
    t.put("state", "TASK_" + i.state());
    if (i.killRequested() && !i.state().isTerminal()) {
      t.put("state", "TASK_KILLING");
    }
    ArrayNode ips = t.putArray("ipAddresses");
    ips.addObject().put("ipAddress", i.hostname()).put("protocol", "IPv4");
    if (app != null && app.hasHealthChecks() && i.healthy() != null) {
      ArrayNode results = t.putArray("healthCheckResults");
      results.addObject().put("alive", i.healthy()).put("taskId", i.taskId())
          .put("instanceId", i.taskId());
    }
    return t;
  }

  static ObjectNode deployment(State s, Deployment d) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", d.id());
    node.put("version", d.version());
    ArrayNode affected = node.putArray("affectedApps");
    d.affectedApps().forEach(affected::add);
    node.putArray("affectedPods");
    node.set("steps", stepsJson(d.steps()));
    List<Deployment.Action> current = d.steps().isEmpty() ? List.of() : d.steps().get(d.steps().size() - 1);
    ArrayNode actions = node.putArray("currentActions");
    for (Deployment.Action a : current) {
      ObjectNode action = actions.addObject().put("action", a.action()).put("app", a.app());
      ArrayNode readiness = action.putArray("readinessCheckResults");
      AppDefinition app = s.app(a.app());
      if (app != null && !app.readinessChecks().isEmpty()) {
        for (Instance i : s.instancesOf(app.id())) {
          if (app.configVersion().equals(i.version()) && i.isActive()) {
            ObjectNode r = readiness.addObject().put("name", app.readinessChecks().get(0).name())
                .put("taskId", i.taskId()).put("ready", s.isReady(i.taskId()));
            if (s.readinessAnswer(i.taskId()) != null) {
              r.putObject("lastResponse").put("body", s.readinessAnswer(i.taskId()));
            }
          }
        }
      }
      if (app != null) {
        long healthy = s.instancesOf(app.id()).stream().filter(i -> i.isActive()
            && app.configVersion().equals(i.version()) && i.isHealthy(app.hasHealthChecks())).count();
        action.put("healthyNewInstances", healthy).put("targetInstances", app.instances());
      }
    }
    node.put("currentStep", d.steps().size());
    node.put("totalSteps", d.steps().size());
    return node;
  }

  private static ArrayNode stepsJson(List<List<Deployment.Action>> steps) {
    ArrayNode out = MAPPER.createArrayNode();
    for (List<Deployment.Action> step : steps) {
      ArrayNode actions = out.addObject().putArray("actions");
      for (Deployment.Action a : step) {
        actions.addObject().put("action", a.action()).put("app", a.app());
      }
    }
    return out;
  }

  static ObjectNode queueEntry(State s, QueueEntry q) {
    ObjectNode node = MAPPER.createObjectNode();
    AppDefinition app = s.app(q.appId());
    if (app != null) {
      node.set("app", io.trellis.services.app.AppReader.view(app));
    }
    node.put("count", q.count());
    node.put("since", q.since());
    node.putObject("delay").put("timeLeftSeconds", q.delaySeconds()).put("overdue", q.delaySeconds() <= 0);
    node.put("reason", q.reason());
    Map<String, Object> failure = s.lastFailure(q.appId());
    if (failure != null) {
      node.set("lastTaskFailure", MAPPER.valueToTree(failure));
    }
    ObjectNode summary = node.putObject("processedOffersSummary");
    summary.put("processedOffersCount", q.processedOffers());
    summary.put("unusedOffersCount", q.processedOffers());
    if (q.lastUnusedOfferAt() != null) {
      summary.put("lastUnusedOfferAt", q.lastUnusedOfferAt());
    }
    ArrayNode reasons = summary.putArray("rejectSummaryLastOffers");
    for (Map.Entry<String, Integer> e : q.rejections().entrySet()) {
      reasons.addObject().put("reason", e.getKey()).put("declined", e.getValue());
    }
    return node;
  }
}
