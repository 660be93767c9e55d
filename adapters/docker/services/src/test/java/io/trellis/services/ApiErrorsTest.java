package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bad requests against a real services API: 400 for unparsable JSON, 422 naming every invalid
 * field, 404 for unknown apps, 409 for a change to an app being deployed unless forced, and the
 * queue saying which resource no agent has.
 */
class ApiErrorsTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31200-31299]", "");
  }

  @Test
  void unparsableJsonIsA400() {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": ");
    assertEquals(400, r.status(), r.text());
    assertTrue(r.body().path("message").asText().contains("unparsable JSON"), r.text());
  }

  @Test
  void anOversizedBodyIsA413AndAnEmptyOneA400() {
    String huge = "{\"id\": \"/huge\", \"cmd\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    V2.Reply r = api.send("POST", "/v2/apps", huge);
    assertEquals(413, r.status(), r.text().length() > 300 ? r.text().substring(0, 300) : r.text());
    assertEquals(400, api.send("POST", "/v2/apps", "").status());
    assertEquals(404, api.get("/v2/apps/huge").status(), "nothing stored");
  }

  @Test
  void everyInvalidFieldIsNamedByItsJsonPath() {
    V2.Reply r = api.send("POST", "/v2/apps", """
        {"id": "Bad_Id", "cmd": "sleep 100", "instances": -1, "cpus": "lots", "mem": 32,
         "constraints": [["hostname", "SOMETIMES"]],
         "healthChecks": [{"protocol": "HTTP", "portIndex": 3}],
         "upgradeStrategy": {"minimumHealthCapacity": 1.5},
         "container": {"type": "DOCKER", "docker": {"network": "BRIDGE"}}}""");
    assertEquals(422, r.status(), r.text());
    Set<String> paths = new HashSet<>();
    r.body().path("errors").forEach(e -> paths.add(e.path("path").asText()));
    assertEquals(Set.of("$.id", "$.instances", "$.cpus", "$.constraints[0]", "$.healthChecks[0].portIndex",
        "$.upgradeStrategy.minimumHealthCapacity", "$.container.docker.image"), paths, r.text());
    assertTrue(r.body().path("details").size() == paths.size(), r.text());
    assertTrue(!r.text().contains("Exception"), r.text());
  }

  @Test
  void unknownAppsAndEndpointsAre404() {
    V2.Reply app = api.get("/v2/apps/no/such/app");
    assertEquals(404, app.status());
    assertEquals("App '/no/such/app' does not exist", app.body().path("message").asText());
    assertEquals(404, api.send("DELETE", "/v2/apps/nope", null).status());
    assertEquals(404, api.send("POST", "/v2/apps/nope/restart", null).status());
    assertEquals(404, api.send("DELETE", "/v2/deployments/1234", null).status());
    assertEquals(404, api.get("/v2/nothing").status());
  }

  @Test
  void anAppNeedingMoreMemoryThanAnyAgentWaitsInTheQueueWithThatReason_andChangesToItConflict() throws Exception {
    V2.Reply created = api.send("POST", "/v2/apps", """
        {"id": "/big", "cmd": "sleep 1000", "instances": 1, "cpus": 0.1, "mem": 99999}""");
    assertEquals(201, created.status(), created.text());
    Waits.until("the queue names mem", Duration.ofSeconds(30), () -> {
      JsonNode q = api.get("/v2/queue").body().path("queue");
      return q.size() == 1 && q.get(0).path("reason").asText().contains("needs mem 99999")
          && q.get(0).path("processedOffersSummary").path("rejectSummaryLastOffers").get(0)
              .path("reason").asText().equals("InsufficientMemory");
    });
    JsonNode entry = api.get("/v2/queue").body().path("queue").get(0);
    assertEquals("/big", entry.path("app").path("id").asText());
    assertEquals(1, entry.path("count").asInt());

    V2.Reply again = api.send("POST", "/v2/apps", "{\"id\": \"/big\", \"cmd\": \"sleep 1\"}");
    assertEquals(409, again.status(), again.text());

    V2.Reply locked = api.send("PUT", "/v2/apps/big", "{\"instances\": 2}");
    assertEquals(409, locked.status(), locked.text());
    assertTrue(locked.body().path("message").asText().contains("locked"), locked.text());
    assertEquals(1, locked.body().path("deployments").size(), locked.text());
    assertEquals(1, api.app("/big").path("instances").asInt(), "nothing changed");

    V2.Reply forced = api.send("PUT", "/v2/apps/big?force=true", "{\"mem\": 64}");
    assertEquals(200, forced.status(), forced.text());
    Waits.until("the smaller app runs", Duration.ofSeconds(60), () -> api.readyInstances("/big") == 1);
    Waits.until("the queue is empty", Duration.ofSeconds(30), () -> api.get("/v2/queue").body().path("queue").size() == 0);
    assertEquals(200, api.send("DELETE", "/v2/apps/big", null).status());
  }

  @Test
  void infoLeaderAndPingAnswer() {
    assertEquals("pong", api.get("/ping").text());
    JsonNode info = api.get("/v2/info").body();
    assertEquals("trellis-services", info.path("name").asText());
    assertTrue(info.path("frameworkId").asText().length() > 0, info.toString());
    assertEquals(api.base.substring("http://".length()), api.get("/v2/leader").body().path("leader").asText());
  }
}
