package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Constraints on a real cluster of two agents with their own hostnames (127.0.0.1 and
 * 127.0.0.2) and attributes: UNIQUE hostname spreads instances and leaves the extra one waiting
 * with the constraint as its reason; LIKE on an attribute keeps instances on matching agents.
 */
class PlacementTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31400-31449]", "rack:r1;zone:west");
    c.agent("127.0.0.2", "cpus:4;mem:2048;disk:1000;ports:[31450-31499]", "rack:r2;zone:east");
  }

  @Test
  void uniqueHostnamePutsOneInstancePerAgentAndQueuesTheRest() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", """
        {"id": "/spread", "cmd": "exec busybox httpd -f -p $PORT0", "instances": 2, "cpus": 0.1, "mem": 16,
         "constraints": [["hostname", "UNIQUE"]]}""");
    assertEquals(201, r.status(), r.text());
    Waits.until("2 instances running", Duration.ofSeconds(60), () -> api.readyInstances("/spread") == 2);
    Set<String> hosts = new HashSet<>();
    for (JsonNode t : api.app("/spread").path("tasks")) {
      hosts.add(t.path("host").asText());
      int port = t.path("ports").get(0).asInt();
      Waits.until("instance on " + t.path("host").asText() + " answers", Duration.ofSeconds(20),
          () -> V2.httpGet(t.path("host").asText(), port).startsWith("404"));
    }
    assertEquals(Set.of("127.0.0.1", "127.0.0.2"), hosts);

    assertEquals(200, api.send("PUT", "/v2/apps/spread", "{\"instances\": 3}").status());
    Waits.until("the third instance waits for the constraint", Duration.ofSeconds(30), () -> {
      JsonNode q = api.get("/v2/queue").body().path("queue");
      return q.size() == 1 && q.get(0).path("reason").asText().contains("hostname:UNIQUE");
    });
    assertEquals(2, api.app("/spread").path("tasks").size());
    assertEquals(200, api.send("DELETE", "/v2/apps/spread?force=true", null).status());
    Waits.until("spread gone", Duration.ofSeconds(30), () -> cluster.liveTasksInMaster() == 0);
  }

  @Test
  void likeOnAnAttributeKeepsInstancesOnMatchingAgents() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", """
        {"id": "/east", "cmd": "sleep 1000", "instances": 3, "cpus": 0.1, "mem": 16, "portDefinitions": [],
         "constraints": [["zone", "LIKE", "east"]]}""");
    assertEquals(201, r.status(), r.text());
    Waits.until("3 instances running", Duration.ofSeconds(60), () -> api.readyInstances("/east") == 3);
    for (JsonNode t : api.app("/east").path("tasks")) {
      assertEquals("127.0.0.2", t.path("host").asText());
    }
    assertTrue(api.send("DELETE", "/v2/apps/east", null).status() == 200);
  }
}
