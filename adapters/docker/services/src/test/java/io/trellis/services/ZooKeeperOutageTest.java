package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With ZooKeeper unreachable, the services API and the master answer calls that need the leader
 * with a JSON 503 at once, instead of waiting on the "who leads?" lookup; calls that need no
 * ZooKeeper go on working; once ZooKeeper is back, so is the API.
 */
class ZooKeeperOutageTest {
  /** Far below the 24-38 s a call waited on the leader lookup: a hang detector, not a benchmark. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUnavailableNamingZooKeeper(HttpResponse<String> r) throws Exception {
    assertEquals(503, r.statusCode(), r.body());
    JsonNode body = Json.mapper().readTree(r.body());
    assertTrue(body.path("message").asText().contains("ZooKeeper is unreachable"), r.body());
  }

  @Test
  void callsThatNeedTheLeaderAnswer503AtOnceWhileZooKeeperIsDown() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.startServices();
      String services = "http://127.0.0.1:" + cluster.services.port();
      String master = "http://" + cluster.master.endpoint();
      assertEquals(200, get(services + "/v2/apps").statusCode());
      cluster.zk.stop();
      Waits.until("the services instance notices ZooKeeper is gone", Duration.ofSeconds(30),
          () -> {
            try {
              return get(services + "/v2/apps").statusCode() == 503;
            } catch (Exception e) {
              throw new AssertionError("GET /v2/apps did not answer within " + PATIENCE + ": " + e, e);
            }
          });
      for (int i = 0; i < 3; i++) {
        assertUnavailableNamingZooKeeper(get(services + "/v2/apps"));
        assertUnavailableNamingZooKeeper(get(services + "/v2/queue"));
        assertUnavailableNamingZooKeeper(get(master + "/api/v1/state"));
      }
      assertEquals(200, get(services + "/v2/ping").statusCode(), "ping needs no ZooKeeper");
      assertEquals(200, get(master + "/health").statusCode(), "health needs no ZooKeeper");
      cluster.zk.restart();
      Waits.until("the services API is back with ZooKeeper", Duration.ofSeconds(60), () -> {
        try {
          return get(services + "/v2/apps").statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}
