package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A plain command app on a real master and agent: it runs and answers HTTP on its host ports,
 * scales up and down, replaces a killed process, and goes away when deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppLifecycleTest extends ServicesClusterTest {
  static final String WEB = """
      {"id": "/web", "cmd": "echo hello-$TRELLIS_APP_ID > index.html && exec busybox httpd -f -p $PORT0",
       "instances": 2, "cpus": 0.1, "mem": 32,
       "portDefinitions": [{"port": 0, "name": "http"}],
       "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.5}}""";

  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:8;mem:8192;disk:10000;ports:[31000-31199]", "");
  }

  @Test
  @Order(1)
  void aPostedAppRunsItsInstancesWhichAnswerOnTheirHostPorts() throws Exception {
    V2.Reply created = api.send("POST", "/v2/apps", WEB);
    assertEquals(201, created.status(), created.text());
    assertEquals("/web", created.body().path("id").asText());
    assertEquals(1, created.body().path("deployments").size(), created.text());

    Waits.until("2 instances running", Duration.ofSeconds(60), () -> api.readyInstances("/web") == 2);
    Waits.until("the deployment finished", Duration.ofSeconds(30), api::deploymentsDone);
    JsonNode app = api.app("/web");
    assertEquals(2, app.path("tasksRunning").asInt());
    for (JsonNode t : app.path("tasks")) {
      int port = t.path("ports").get(0).asInt();
      Waits.until("task answers on " + port, Duration.ofSeconds(20),
          () -> V2.httpGet(t.path("host").asText(), port).equals("200 hello-/web\n"));
    }
  }

  @Test
  @Order(2)
  void scalingUpAndDownKeepsTheAskedNumber() throws Exception {
    V2.Reply up = api.send("PUT", "/v2/apps/web", "{\"instances\": 5}");
    assertEquals(200, up.status(), up.text());
    assertTrue(up.body().has("deploymentId"), up.text());
    Waits.until("5 instances running", Duration.ofSeconds(60), () -> api.readyInstances("/web") == 5);
    Waits.until("the deployment finished", Duration.ofSeconds(30), api::deploymentsDone);

    V2.Reply down = api.send("PUT", "/v2/apps/web", "{\"instances\": 2}");
    assertEquals(200, down.status(), down.text());
    Waits.until("2 instances left", Duration.ofSeconds(60),
        () -> api.app("/web").path("tasks").size() == 2 && api.readyInstances("/web") == 2);
    Waits.until("the deployment finished", Duration.ofSeconds(30), api::deploymentsDone);
    Waits.until("the master runs 2 tasks", Duration.ofSeconds(30), () -> cluster.liveTasksInMaster() == 2);
  }

  @Test
  @Order(3)
  void aKilledProcessIsReplaced() throws Exception {
    JsonNode task = api.app("/web").path("tasks").get(0);
    String taskId = task.path("id").asText();
    int port = task.path("ports").get(0).asInt();
    long pid = pidListeningOn(port);
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();

    Waits.until("the killed instance replaced", Duration.ofSeconds(60), () -> {
      Set<String> ids = new HashSet<>();
      api.app("/web").path("tasks").forEach(t -> ids.add(t.path("id").asText()));
      return !ids.contains(taskId) && api.readyInstances("/web") == 2;
    });
    JsonNode failure = api.app("/web").path("lastTaskFailure");
    assertEquals(taskId, failure.path("taskId").asText(), failure.toString());
    assertNotEquals("", failure.path("state").asText());
  }

  @Test
  @Order(4)
  void killingATaskWithScaleLowersTheCount() throws Exception {
    String taskId = api.app("/web").path("tasks").get(0).path("id").asText();
    V2.Reply r = api.send("DELETE", "/v2/apps/web/tasks/" + taskId + "?scale=true", null);
    assertEquals(200, r.status(), r.text());
    Waits.until("one instance left", Duration.ofSeconds(60),
        () -> api.app("/web").path("instances").asInt() == 1 && api.app("/web").path("tasks").size() == 1);
  }

  @Test
  @Order(5)
  void deletingAnAppStopsItsInstances() throws Exception {
    V2.Reply r = api.send("DELETE", "/v2/apps/web", null);
    assertEquals(200, r.status(), r.text());
    assertEquals(404, api.get("/v2/apps/web").status());
    Waits.until("no task left in the master", Duration.ofSeconds(60), () -> cluster.liveTasksInMaster() == 0);
    Waits.until("the stop deployment finished", Duration.ofSeconds(30), api::deploymentsDone);
  }

  /** The pid of the process listening on a TCP port, from /proc. */
  static long pidListeningOn(int port) throws Exception {
    String hex = String.format(":%04X", port);
    String inode = null;
    for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      for (String line : Files.readAllLines(Path.of(file))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[1].endsWith(hex) && f[3].equals("0A")) {
          inode = f[9];
        }
      }
    }
    if (inode == null) {
      throw new IllegalStateException("nothing listens on " + port);
    }
    String target = "socket:[" + inode + "]";
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) {
          continue;
        }
        try (var fds = Files.list(p.resolve("fd"))) {
          for (Path fd : (Iterable<Path>) fds::iterator) {
            try {
              if (Files.readSymbolicLink(fd).toString().equals(target)) {
                return Long.parseLong(p.getFileName().toString());
              }
            } catch (java.io.IOException ignored) {
              // The descriptor closed meanwhile.
            }
          }
        } catch (java.io.IOException | SecurityException ignored) {
          // The process ended or is not ours.
        }
      }
    }
    throw new IllegalStateException("no process holds socket " + inode);
  }
}
