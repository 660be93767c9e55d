package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /v2/groups} on a real cluster: create a tree of apps, read it, scale it, replace it, destroy it. */
class GroupsTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32300-32349]", "");
  }

  @Test
  void aGroupOfAppsLivesAndDiesTogether() throws Exception {
    V2.Reply created = api.send("POST", "/v2/groups", """
        {"id": "/shop", "apps": [{"id": "db", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16, "portDefinitions": []}],
         "groups": [{"id": "front", "apps": [{"id": "web", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16,
                                               "instances": 2, "portDefinitions": [], "dependencies": ["/shop/db"]}]}]}""");
    assertEquals(201, created.status(), created.text());
    assertEquals(2, created.body().path("deploymentIds").size(), created.text());
    Waits.until("the group runs", Duration.ofSeconds(60), () -> api.readyInstances("/shop/db") == 1
        && api.readyInstances("/shop/front/web") == 2 && api.deploymentsDone());

    assertEquals(409, api.send("POST", "/v2/groups", "{\"id\": \"/shop\", \"apps\": [{\"id\": \"x\", \"cmd\": \"sleep 1\"}]}").status());
    V2.Reply invalid = api.send("POST", "/v2/groups", "{\"id\": \"/bad\", \"apps\": [{\"id\": \"x\", \"cpus\": -1}]}");
    assertEquals(422, invalid.status());
    assertTrue(invalid.text().contains("$.apps[0].cpus"), invalid.text());
    assertEquals(404, api.get("/v2/groups/none").status());

    JsonNode root = api.get("/v2/groups").body();
    assertEquals("/", root.path("id").asText());
    JsonNode shop = root.path("groups").get(0);
    assertEquals("/shop", shop.path("id").asText());
    assertEquals("/shop/db", shop.path("apps").get(0).path("id").asText());
    JsonNode front = api.get("/v2/groups/shop/front").body();
    assertEquals("/shop/front/web", front.path("apps").get(0).path("id").asText());
    assertEquals(2, front.path("apps").get(0).path("tasksRunning").asInt());

    V2.Reply scaled = api.send("PUT", "/v2/groups/shop", "{\"scaleBy\": 1.5}");
    assertEquals(200, scaled.status(), scaled.text());
    Waits.until("scaled by 1.5, rounded up", Duration.ofSeconds(60), () -> api.readyInstances("/shop/db") == 2
        && api.readyInstances("/shop/front/web") == 3 && api.deploymentsDone());

    // A replaced group holds exactly the apps of its new definition.
    V2.Reply replaced = api.send("PUT", "/v2/groups/shop", """
        {"apps": [{"id": "db", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16, "instances": 1, "portDefinitions": []}]}""");
    assertEquals(200, replaced.status(), replaced.text());
    Waits.until("front removed, db at 1", Duration.ofSeconds(60), () -> api.get("/v2/apps/shop/front/web").status() == 404
        && api.readyInstances("/shop/db") == 1 && api.deploymentsDone());

    assertEquals(200, api.send("DELETE", "/v2/groups/shop", null).status());
    Waits.until("the group is gone", Duration.ofSeconds(60), () -> api.get("/v2/groups/shop").status() == 404
        && cluster.liveTasksInMaster() == 0);
    assertEquals(List.of(), List.copyOf(api.get("/v2/groups").body().path("groups").findValuesAsText("id")));
  }
}
