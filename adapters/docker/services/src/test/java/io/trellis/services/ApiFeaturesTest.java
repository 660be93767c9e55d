package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The rest of the /v2 API on a real cluster: the event stream, deployments listed and cancelled
 * with rollback, versions, embedded tasks, killing tasks by id, and dependencies started in order.
 */
class ApiFeaturesTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:8;mem:4096;disk:1000;ports:[31800-31899]", "");
  }

  static String sleeper(String id, int instances, String extra) {
    return "{\"id\": \"" + id + "\", \"cmd\": \"sleep 1000\", \"instances\": " + instances
        + ", \"cpus\": 0.1, \"mem\": 16, \"portDefinitions\": []" + extra + "}";
  }

  @Test
  void theEventStreamCarriesStatusUpdatesAndDeploymentSteps() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(URI.create(api.base + "/v2/events")).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (Exception closed) {
        // The test ended the stream.
      }
    });
    reader.setDaemon(true);
    reader.start();
    Waits.until("the stream attached", Duration.ofSeconds(10), () -> lines.contains("event: event_stream_attached"));
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/evented", 1, "")).status());
    Waits.until("status and deployment events", Duration.ofSeconds(30), () ->
        lines.contains("event: status_update_event") && lines.contains("event: deployment_success")
            && lines.contains("event: deployment_info") && lines.contains("event: api_post_event")
            && lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains("TASK_RUNNING") && l.contains("/evented")));
    String running = lines.stream().filter(l -> l.startsWith("data:") && l.contains("TASK_RUNNING") && l.contains("/evented")).findFirst().orElseThrow();
    JsonNode data = io.trellis.api.Json.mapper().readTree(running.substring("data:".length()));
    assertEquals("/evented", data.path("appId").asText());
    assertEquals("status_update_event", data.path("eventType").asText());
    stream.body().close();
    assertEquals(200, api.send("DELETE", "/v2/apps/evented", null).status());
  }

  @Test
  void aCancelledDeploymentRollsBackToThePreviousVersion() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/rollback", 2, "")).status());
    Waits.until("2 running", Duration.ofSeconds(60), () -> api.readyInstances("/rollback") == 2 && api.deploymentsDone());
    JsonNode v1 = api.app("/rollback");
    // A version that cannot be placed keeps its deployment open.
    V2.Reply put = api.send("PUT", "/v2/apps/rollback", sleeper("/rollback", 2, "").replace("\"mem\": 16", "\"mem\": 999999"));
    assertEquals(200, put.status(), put.text());
    String deploymentId = put.body().path("deploymentId").asText();
    JsonNode deployments = api.get("/v2/deployments").body();
    assertEquals(1, deployments.size(), deployments.toString());
    assertEquals(deploymentId, deployments.get(0).path("id").asText());
    assertEquals("RestartApplication", deployments.get(0).path("currentActions").get(0).path("action").asText());
    assertEquals("/rollback", deployments.get(0).path("affectedApps").get(0).asText());

    V2.Reply cancel = api.send("DELETE", "/v2/deployments/" + deploymentId, null);
    assertEquals(200, cancel.status(), cancel.text());
    Waits.until("rolled back", Duration.ofSeconds(60), api::deploymentsDone);
    JsonNode after = api.app("/rollback");
    assertEquals(v1.path("mem").asDouble(), after.path("mem").asDouble());
    assertEquals(v1.path("versionInfo").path("lastConfigChangeAt").asText(),
        after.path("versionInfo").path("lastConfigChangeAt").asText(), "the old instances are current again");
    assertEquals(2, api.readyInstances("/rollback"));

    JsonNode versions = api.get("/v2/apps/rollback/versions").body().path("versions");
    assertTrue(versions.size() >= 3, versions.toString());
    JsonNode stored = api.get("/v2/apps/rollback/versions/" + versions.get(versions.size() - 1).asText()).body();
    assertEquals("/rollback", stored.path("id").asText());
    assertEquals(404, api.get("/v2/apps/rollback/versions/1999-01-01T00:00:00Z").status());
    assertEquals(200, api.send("DELETE", "/v2/apps/rollback", null).status());
  }

  @Test
  void tasksAreEmbeddedListedAndKilledById() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/tasks/app", 2, "")).status());
    Waits.until("2 running", Duration.ofSeconds(60), () -> api.readyInstances("/tasks/app") == 2 && api.deploymentsDone());
    JsonNode listed = api.get("/v2/apps?embed=apps.tasks&id=/tasks/app").body().path("apps");
    assertEquals(1, listed.size());
    assertEquals(2, listed.get(0).path("tasks").size());
    assertEquals(0, api.get("/v2/apps?id=/tasks/app").body().path("apps").get(0).path("tasks").size());
    JsonNode tasks = api.get("/v2/apps/tasks/app/tasks").body().path("tasks");
    assertEquals(2, tasks.size());
    String victim = tasks.get(0).path("id").asText();
    assertTrue(api.get("/v2/tasks").body().path("tasks").findValuesAsText("id").contains(victim));

    V2.Reply kill = api.send("POST", "/v2/tasks/delete?scale=true", "{\"ids\": [\"" + victim + "\"]}");
    assertEquals(200, kill.status(), kill.text());
    Waits.until("scaled to 1", Duration.ofSeconds(30), () -> api.app("/tasks/app").path("instances").asInt() == 1
        && api.app("/tasks/app").path("tasks").size() == 1 && api.deploymentsDone());
    assertEquals(404, api.send("POST", "/v2/tasks/delete", "{\"ids\": [\"no-such-task\"]}").status());
    assertEquals(422, api.send("POST", "/v2/tasks/delete", "{\"ids\": [1]}").status());
    assertEquals(200, api.send("DELETE", "/v2/apps/tasks/app", null).status());
  }

  @Test
  void anAppStartsOnlyOnceItsDependenciesAreHealthy() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/stack/web", 1, ", \"dependencies\": [\"db\"]")).status());
    Waits.until("web waits for its dependency", Duration.ofSeconds(30), () -> {
      JsonNode q = api.get("/v2/queue").body().path("queue");
      return q.size() == 1 && q.get(0).path("reason").asText().contains("/stack/db");
    });
    assertEquals(0, api.app("/stack/web").path("tasks").size());
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/stack/db", 1, "")).status());
    Waits.until("both running", Duration.ofSeconds(60),
        () -> api.readyInstances("/stack/db") == 1 && api.readyInstances("/stack/web") == 1);
    JsonNode web = api.app("/stack/web").path("tasks").get(0);
    JsonNode db = api.app("/stack/db").path("tasks").get(0);
    assertTrue(web.path("stagedAt").asText().compareTo(db.path("startedAt").asText()) >= 0,
        "web staged after db started: " + web + " " + db);
    api.send("DELETE", "/v2/apps/stack/web?force=true", null);
    api.send("DELETE", "/v2/apps/stack/db?force=true", null);
  }

  @Test
  void patchChangesOnlyTheGivenFields() throws Exception {
    assertEquals(404, api.send("PATCH", "/v2/apps/patched", "{\"instances\": 2}").status());
    assertEquals(201, api.send("POST", "/v2/apps", sleeper("/patched", 1, ", \"labels\": {\"team\": \"a\"}")).status());
    Waits.until("1 running", Duration.ofSeconds(60), () -> api.readyInstances("/patched") == 1
        && api.app("/patched").path("deployments").size() == 0);
    V2.Reply patched = api.send("PATCH", "/v2/apps/patched", "{\"labels\": {\"tier\": \"web\"}, \"instances\": 2}");
    assertEquals(200, patched.status(), patched.text());
    JsonNode app = api.app("/patched");
    assertEquals(2, app.path("instances").asInt());
    assertEquals("a", app.path("labels").path("team").asText(), "objects merge");
    assertEquals("web", app.path("labels").path("tier").asText());
    assertEquals("sleep 1000", app.path("cmd").asText());
    Waits.until("2 running", Duration.ofSeconds(60), () -> api.readyInstances("/patched") == 2);
    V2.Reply bad = api.send("PATCH", "/v2/apps/patched?force=true", "{\"mem\": -5}");
    assertEquals(422, bad.status(), bad.text());
    assertEquals("$.mem", bad.body().path("errors").get(0).path("path").asText());
    assertEquals(200, api.send("DELETE", "/v2/apps/patched?force=true", null).status());
  }
}
