package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Apps labelled {@code trellis.gang=true} on a real cluster of one agent of 4 cpus: their waiting
 * instances start together from the gang's offers, and a gang the cluster could never hold is
 * reported in the queue while nothing of it starts.
 */
class ServicesGangTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31650-31699]", "");
  }

  private JsonNode queued(String app) {
    for (JsonNode q : api.get("/v2/queue").body().path("queue")) {
      if (q.path("app").path("id").asText().equals(app)) {
        return q;
      }
    }
    return null;
  }

  @Test
  void anAppLabelledAsAGangStartsItsInstancesTogetherOrSaysWhyItCannot() throws Exception {
    V2.Reply duo = api.send("POST", "/v2/apps", "{\"id\": \"/duo\", \"cmd\": \"sleep 1000\", \"cpus\": 1, \"mem\": 64,"
        + " \"instances\": 2, \"portDefinitions\": [], \"labels\": {\"trellis.gang\": \"true\"}}");
    assertEquals(201, duo.status(), duo.text());
    Waits.until("both instances of the gang run", Duration.ofSeconds(60), () -> api.readyInstances("/duo") == 2);

    // Two instances of 3 cpus never fit together on the one agent of 4 cpus: refused, reported, none started.
    V2.Reply pair = api.send("POST", "/v2/apps", "{\"id\": \"/pair\", \"cmd\": \"sleep 1000\", \"cpus\": 3, \"mem\": 64,"
        + " \"instances\": 2, \"portDefinitions\": [], \"labels\": {\"trellis.gang\": \"true\"}}");
    assertEquals(201, pair.status(), pair.text());
    Waits.until("the queue says the gang cannot start together", Duration.ofSeconds(30), () -> {
      JsonNode q = queued("/pair");
      return q != null && q.path("reason").asText().contains("cannot start together");
    });
    assertEquals(0, api.readyInstances("/pair"), "no instance of the gang started alone");

    // A gang that fits is not blamed for the one that never can: it starts while /pair stays refused.
    V2.Reply trio = api.send("POST", "/v2/apps", "{\"id\": \"/trio\", \"cmd\": \"sleep 1000\", \"cpus\": 0.5,"
        + " \"mem\": 64, \"instances\": 3, \"portDefinitions\": [], \"labels\": {\"trellis.gang\": \"true\"}}");
    assertEquals(201, trio.status(), trio.text());
    Waits.until("the fitting gang runs next to the refused one", Duration.ofSeconds(60),
        () -> api.readyInstances("/trio") == 3);
    assertEquals(0, api.readyInstances("/pair"));
    assertEquals(200, api.send("DELETE", "/v2/apps/trio?force=true", null).status());
    assertEquals(200, api.send("DELETE", "/v2/apps/pair?force=true", null).status());
    assertEquals(200, api.send("DELETE", "/v2/apps/duo?force=true", null).status());
  }

}
