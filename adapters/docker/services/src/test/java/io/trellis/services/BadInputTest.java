package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Absurd input against a real services API: every refusal is a 4xx naming the field by its JSON
 * path, never a 5xx or a stack trace, and nothing stored changes (the app list and ZooKeeper stay
 * as they were).
 */
class BadInputTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31400-31449]", "");
  }

  /** A refused call: the status, the path named, no trace, and the stored apps unchanged. */
  private V2.Reply refused(int status, String path, String method, String url, String body) {
    String before = storedApps();
    V2.Reply r = api.send(method, url, body);
    String shown = r.text().length() > 400 ? r.text().substring(0, 400) : r.text();
    url = url.length() > 100 ? url.substring(0, 100) + "..." : url;
    assertEquals(status, r.status(), method + " " + url + ": " + shown);
    if (path != null) {
      List<String> paths = new ArrayList<>();
      r.body().path("errors").forEach(e -> paths.add(e.path("path").asText()));
      assertTrue(paths.contains(path), "expected " + path + " in " + shown);
    }
    assertFalse(r.text().contains("Exception"), shown);
    assertEquals(before, storedApps(), "nothing stored changed by " + method + " " + url);
    return r;
  }

  private String storedApps() {
    try {
      return cluster.services.framework().read(s -> s.apps().keySet()) + " stored as "
          + new java.util.TreeSet<>(curatorChildren("/trellis/services/apps"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> curatorChildren(String path) throws Exception {
    try (var zk = org.apache.curator.framework.CuratorFrameworkFactory.newClient(cluster.zk.getConnectString(),
        new org.apache.curator.retry.RetryOneTime(100))) {
      zk.start();
      return zk.checkExists().forPath(path) == null ? List.of() : zk.getChildren().forPath(path);
    }
  }

  @Test
  void nonFiniteAndAbsurdNumbersAre422NamingTheFieldOnEveryEndpoint() {
    String[][] cases = {
        {"$.mem", "\"mem\": 1e400"}, {"$.cpus", "\"cpus\": -1e400"}, {"$.instances", "\"instances\": 1e400"},
        {"$.instances", "\"instances\": 99999999999"}, {"$.instances", "\"instances\": 2000000"},
        {"$.cpus", "\"cpus\": 1e300"}, {"$.disk", "\"disk\": -5"}, {"$.backoffSeconds", "\"backoffSeconds\": 1e400"},
        {"$.portDefinitions[0].port", "\"portDefinitions\": [{\"port\": 1e400}]"},
        {"$.unreachableStrategy.inactiveAfterSeconds", "\"unreachableStrategy\": {\"inactiveAfterSeconds\": 1e400}"},
        {"$.unreachableStrategy", "\"unreachableStrategy\": \"sometimes\""}};
    for (String[] c : cases) {
      refused(422, c[0], "POST", "/v2/apps", "{\"id\": \"/n1\", \"cmd\": \"sleep 1\", " + c[1] + "}");
    }
    refused(422, "$.groups[0].apps[0].mem", "POST", "/v2/groups",
        "{\"id\": \"/g\", \"groups\": [{\"id\": \"sub\", \"apps\": [{\"id\": \"a\", \"cmd\": \"sleep 1\", \"mem\": 1e400}]}]}");

    V2.Reply ok = api.send("POST", "/v2/apps", "{\"id\": \"/fine\", \"cmd\": \"sleep 1000\", \"cpus\": 0.01, \"mem\": 8,"
        + " \"instances\": 0, \"portDefinitions\": []}");
    assertEquals(201, ok.status(), ok.text());
    refused(422, "$.mem", "PUT", "/v2/apps/fine?force=true", "{\"mem\": 1e400}");
    refused(422, "$.instances", "PATCH", "/v2/apps/fine?force=true", "{\"instances\": -1}");
    refused(422, "$.instances", "PUT", "/v2/apps/fine?force=true", "{\"instances\": 1e400}");
    refused(422, "$.scaleBy", "PUT", "/v2/groups/fine?force=true", "{\"scaleBy\": 1e400}");
    refused(422, "$.scaleBy", "PUT", "/v2/groups/fine?force=true", "{\"scaleBy\": 1e9}");
    refused(422, "$[0].cpus", "PUT", "/v2/apps?force=true", "[{\"id\": \"/fine\", \"cpus\": 1e400}]");
    assertEquals(0, api.app("/fine").path("instances").asInt());
    assertEquals(8, api.app("/fine").path("mem").asInt());
  }

  @Test
  void limitsAreCheckedBeforeAnythingIsStored() {
    String longId = "/" + "a".repeat(300_000);
    V2.Reply r = refused(422, "$.id", "POST", "/v2/apps", "{\"id\": \"" + longId + "\", \"cmd\": \"sleep 1\"}");
    assertTrue(r.text().length() < 2000, "the answer does not echo the 300k id: " + r.text().length());
    refused(422, "$.id", "POST", "/v2/apps", "{\"id\": \"/" + "b".repeat(252) + "\", \"cmd\": \"sleep 1\"}");
    refused(422, "$.id", "PUT", "/v2/apps/" + "c".repeat(1000), "{\"cmd\": \"sleep 1\"}");
    refused(422, "$.id", "POST", "/v2/groups", "{\"id\": \"/" + "d".repeat(300) + "\", \"apps\": [{\"id\": \"x\", \"cmd\": \"sleep 1\"}]}");
    refused(422, "$.labels", "POST", "/v2/apps", "{\"id\": \"/l\", \"cmd\": \"sleep 1\", \"labels\": {"
        + labels(2000) + "}}");
    refused(422, "$.env.BIG", "POST", "/v2/apps", "{\"id\": \"/l\", \"cmd\": \"sleep 1\", \"env\": {\"BIG\": \""
        + "v".repeat(200_000) + "\"}}");
    refused(422, "$.cmd", "POST", "/v2/apps", "{\"id\": \"/l\", \"cmd\": \"" + "x".repeat(200_000) + "\"}");
    refused(400, null, "POST", "/v2/apps", "[".repeat(60_000) + "]".repeat(60_000));
    refused(400, null, "POST", "/v2/apps", "{\"id\": \"/t\", \"cmd\": \"sleep 1\"} trailing garbage");
    refused(400, null, "POST", "/v2/groups", "{\"id\": \"/t\", \"apps\": []} {}");
    refused(413, null, "POST", "/v2/groups", "{\"id\": \"/h\", \"x\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}");
  }

  private static String labels(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"").append("v".repeat(100)).append("\"");
    }
    return sb.toString();
  }

  @Test
  void anIdOfTheLongestAllowedLengthRunsItsTask() throws Exception {
    String id = "/" + "e".repeat(99) + "/" + "f".repeat(99);
    V2.Reply created = api.send("POST", "/v2/apps", "{\"id\": \"" + id + "\", \"cmd\": \"sleep 1000\", \"cpus\": 0.01,"
        + " \"mem\": 8, \"portDefinitions\": []}");
    assertEquals(201, created.status(), created.text());
    Waits.until("the long-named app runs", Duration.ofSeconds(60), () -> api.readyInstances(id) == 1);
    assertEquals(200, api.send("DELETE", "/v2/apps" + id + "?force=true", null).status());
  }

  @Test
  void dependencyCyclesAre422NamingThePath_andNothingIsStored() {
    V2.Reply group = refused(422, null, "POST", "/v2/groups", """
        {"id": "/cyc", "apps": [
          {"id": "a", "cmd": "sleep 1", "dependencies": ["b"]},
          {"id": "b", "cmd": "sleep 1", "dependencies": ["c"]},
          {"id": "c", "cmd": "sleep 1", "dependencies": ["/cyc/a"]}]}""");
    assertTrue(group.text().contains("/cyc/a -> /cyc/b -> /cyc/c -> /cyc/a"), group.text());

    V2.Reply a = api.send("POST", "/v2/apps", "{\"id\": \"/loop/a\", \"cmd\": \"sleep 1000\", \"instances\": 0,"
        + " \"dependencies\": [\"/loop/b\"]}");
    assertEquals(201, a.status(), a.text());
    V2.Reply b = refused(422, "$.dependencies", "POST", "/v2/apps",
        "{\"id\": \"/loop/b\", \"cmd\": \"sleep 1\", \"dependencies\": [\"/loop/a\"]}");
    assertTrue(b.text().contains("/loop/b -> /loop/a -> /loop/b"), b.text());
    assertEquals(201, api.send("POST", "/v2/apps", "{\"id\": \"/loop/b\", \"cmd\": \"sleep 1000\", \"instances\": 0}").status());
    V2.Reply put = refused(422, "$.dependencies", "PUT", "/v2/apps/loop/b?force=true", "{\"dependencies\": [\"a\"]}");
    assertTrue(put.text().contains("/loop/b -> /loop/a -> /loop/b"), put.text());
    refused(422, null, "PUT", "/v2/groups/loop?force=true", """
        {"apps": [{"id": "a", "cmd": "sleep 1000", "instances": 0, "dependencies": ["b"]},
                  {"id": "b", "cmd": "sleep 1000", "instances": 0, "dependencies": ["a"]}]}""");
    refused(422, null, "PUT", "/v2/apps?force=true", """
        [{"id": "/loop/b", "dependencies": ["/loop/a"]}]""");
    refused(422, "$[1].id", "PUT", "/v2/apps?force=true", """
        [{"id": "/loop/b", "instances": 1}, {"id": "loop/b", "instances": 2}]""");
    assertEquals(200, api.send("DELETE", "/v2/groups/loop?force=true", null).status());
  }

  @Test
  void marathonClientsAreServed() throws Exception {
    HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base + "/v2/ping"))
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ping.statusCode(), ping.body());
    assertEquals(200, api.get("/ping").status());

    V2.Reply batch = api.send("PUT", "/v2/apps", """
        [{"id": "/batch/web", "cmd": "sleep 1000", "cpus": 0.01, "mem": 8, "portDefinitions": [], "dependencies": ["/batch/db"]},
         {"id": "/batch/db", "cmd": "sleep 1000", "cpus": 0.01, "mem": 8, "portDefinitions": []}]""");
    assertEquals(200, batch.status(), batch.text());
    assertTrue(batch.body().path("deploymentId").isTextual(), batch.text());
    Waits.until("both apps run", Duration.ofSeconds(60), () -> api.readyInstances("/batch/db") == 1
        && api.readyInstances("/batch/web") == 1 && api.deploymentsDone());
    V2.Reply scale = api.send("PUT", "/v2/apps", "[{\"id\": \"/batch/web\", \"instances\": 2}]");
    assertEquals(200, scale.status(), scale.text());
    Waits.until("web scaled", Duration.ofSeconds(60), () -> api.readyInstances("/batch/web") == 2);
    assertEquals("sleep 1000", api.app("/batch/web").path("cmd").asText(), "a partial update kept the command");
    assertEquals(200, api.send("DELETE", "/v2/groups/batch?force=true", null).status());

    V2.Reply ucr = refused(422, "$.container.docker.image", "POST", "/v2/apps", """
        {"id": "/ucr", "cmd": "sleep 1", "container": {"type": "MESOS", "docker": {"image": "busybox"}}}""");
    assertTrue(ucr.text().contains("DOCKER"), ucr.text());
  }

  @Test
  void infoSaysWhetherThisInstanceLeadsAndHasRecovered() {
    JsonNode info = api.get("/v2/info").body();
    assertTrue(info.path("elected").asBoolean(), info.toString());
    assertTrue(info.path("recovered").asBoolean(), info.toString());
    V2.Reply health = api.get("/health");
    assertEquals(200, health.status(), health.text());
    assertTrue(health.body().path("leading").asBoolean(), health.text());
    assertTrue(health.body().path("recovered").asBoolean(), health.text());
  }
}
