package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A /v2-format Docker app on the real Docker daemon (BRIDGE network, port mappings, HTTP
 * health check on the mapped host port): it runs healthy and answers on its host ports, scales
 * 1 → 5 → 2, rolls to a new version keeping the minimum healthy, and a {@code docker kill}ed
 * container is replaced. Needs Docker and the {@code trellis/busybox} image: run bin/docker-setup.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerAppTest {
  TestCluster cluster;
  V2 api;
  String frameworkId;

  @BeforeAll
  void start() throws Exception {
    String info = docker("info", "--format", "{{.ServerVersion}}");
    if (info.isBlank() || info.startsWith("error")) {
      throw new AssertionError("no Docker daemon answers: run bin/docker-setup (docker info said: " + info + ")");
    }
    if (docker("images", "-q", "trellis/busybox:latest").isBlank()) {
      throw new AssertionError("the image trellis/busybox:latest is missing: run bin/docker-setup");
    }
    cluster = new TestCluster();
    cluster.agent("127.0.0.1", "cpus:8;mem:4096;disk:1000;ports:[31700-31799]", "");
    cluster.startServices();
    api = cluster.api;
    frameworkId = api.get("/v2/info").body().path("frameworkId").asText();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (frameworkId != null) {
      String ids = docker("ps", "-aq", "--filter", "label=trellis.framework-id=" + frameworkId);
      for (String id : ids.split("\\s+")) {
        if (!id.isBlank()) {
          docker("rm", "-f", id);
        }
      }
    }
  }

  static String app(int instances, String marker) {
    return """
        {"id": "/docker/web",
         "cmd": "echo %s > /index.html && exec httpd -f -p 8080 -h /",
         "instances": %d, "cpus": 0.1, "mem": 32,
         "container": {"type": "DOCKER",
           "docker": {"image": "trellis/busybox:latest", "network": "BRIDGE"},
           "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp", "name": "http"}]},
         "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/index.html", "portIndex": 0,
           "gracePeriodSeconds": 10, "intervalSeconds": 0.5, "timeoutSeconds": 2,
           "maxConsecutiveFailures": 3, "delaySeconds": 0}],
         "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5}}"""
        .formatted(marker, instances);
  }

  int healthy() {
    return api.app("/docker/web").path("tasksHealthy").asInt();
  }

  void answersOnHostPorts(String marker) throws InterruptedException {
    for (JsonNode t : api.app("/docker/web").path("tasks")) {
      int port = t.path("ports").get(0).asInt();
      Waits.until("container answers on host port " + port, Duration.ofSeconds(30),
          () -> V2.httpGet(t.path("host").asText(), port).equals("200 " + marker + "\n"));
    }
  }

  @Test
  @Order(1)
  void aBridgeAppRunsHealthyContainersAnsweringOnTheirHostPorts() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", app(1, "v1"));
    assertEquals(201, r.status(), r.text());
    Waits.until("1 healthy container", Duration.ofSeconds(90), () -> healthy() == 1 && api.deploymentsDone());
    answersOnHostPorts("v1");
    String taskId = api.app("/docker/web").path("tasks").get(0).path("id").asText();
    assertFalse(docker("ps", "-q", "--filter", "label=trellis.task-id=" + taskId).isBlank(), "a container runs the task");
  }

  @Test
  @Order(2)
  void itScalesFromOneToFiveToTwo() throws Exception {
    assertEquals(200, api.send("PUT", "/v2/apps/docker/web", "{\"instances\": 5}").status());
    Waits.until("5 healthy containers", Duration.ofSeconds(120), () -> healthy() == 5 && api.deploymentsDone());
    answersOnHostPorts("v1");
    Set<Integer> ports = new HashSet<>(api.app("/docker/web").path("tasks").findValuesAsText("ports").size() == 0
        ? List.of() : List.of());
    for (JsonNode t : api.app("/docker/web").path("tasks")) {
      ports.add(t.path("ports").get(0).asInt());
    }
    assertEquals(5, ports.size(), "each container has its own host port");

    assertEquals(200, api.send("PUT", "/v2/apps/docker/web", "{\"instances\": 2}").status());
    Waits.until("2 containers left", Duration.ofSeconds(60),
        () -> api.app("/docker/web").path("tasks").size() == 2 && healthy() == 2 && api.deploymentsDone());
    Waits.until("3 containers stopped", Duration.ofSeconds(60), () -> runningContainers() == 2);
  }

  @Test
  @Order(3)
  void aNewVersionRollsOutKeepingTheMinimumHealthy() throws Exception {
    assertEquals(200, api.send("PUT", "/v2/apps/docker/web", app(2, "v2")).status());
    int[] minimum = {Integer.MAX_VALUE};
    Waits.until("v2 rolled out", Duration.ofSeconds(120), () -> {
      minimum[0] = Math.min(minimum[0], healthy());
      return api.deploymentsDone() && api.readyInstances("/docker/web") == 2;
    });
    assertTrue(minimum[0] >= 1, "healthy containers dropped to " + minimum[0]);
    answersOnHostPorts("v2");
  }

  @Test
  @Order(4)
  void aKilledContainerIsReplaced() throws Exception {
    String taskId = api.app("/docker/web").path("tasks").get(0).path("id").asText();
    String container = docker("ps", "-q", "--filter", "label=trellis.task-id=" + taskId).trim();
    assertFalse(container.isBlank());
    docker("kill", container);
    Waits.until("the killed container replaced", Duration.ofSeconds(90), () -> {
      JsonNode app = api.app("/docker/web");
      return !app.path("tasks").findValuesAsText("id").contains(taskId) && healthy() == 2;
    });
    assertEquals(taskId, api.app("/docker/web").path("lastTaskFailure").path("taskId").asText());
    answersOnHostPorts("v2");
    assertEquals(200, api.send("DELETE", "/v2/apps/docker/web", null).status());
    Waits.until("no container left", Duration.ofSeconds(60), () -> runningContainers() == 0);
  }

  int runningContainers() {
    String out = docker("ps", "-q", "--filter", "label=trellis.framework-id=" + frameworkId);
    return (int) out.lines().filter(l -> !l.isBlank()).count();
  }

  static String docker(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.trim();
    } catch (IOException e) {
      return "error: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "error: interrupted";
    }
  }
}
