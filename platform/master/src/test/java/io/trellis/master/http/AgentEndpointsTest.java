package io.trellis.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.master.MasterRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agents' endpoints of a real master: bad calls get the API's JSON errors; a standby sends agents to the leader. */
class AgentEndpointsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private HttpResponse<String> call(String endpoint, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    JsonNode body = Json.mapper().readTree(r.body());
    assertEquals(status, body.path("status").asInt(), r.body());
    return body;
  }

  @Test
  void badCallsGetJsonErrorsNamingWhatIsWrong() throws Exception {
    String at = master.endpoint();
    assertTrue(error(call(at, "POST", "/internal/agents/update", "{\"agentId\": "), 400)
        .path("message").asText().contains("unparsable JSON for Update"));
    assertTrue(error(call(at, "POST", "/internal/agents/heartbeat", ""), 400)
        .path("message").asText().contains("the request body is empty"));
    assertTrue(error(call(at, "POST", "/internal/agents/nope", "{}"), 404)
        .path("message").asText().contains("/internal/agents/nope"));
    assertTrue(error(call(at, "GET", "/internal/agents/update", null), 405)
        .path("message").asText().contains("use POST"));
    assertTrue(error(call(at, "POST", "/internal/agents/heartbeat", "{\"agentId\":\"ghost\"}"), 404)
        .path("message").asText().contains("agent ghost is not registered with this master: register again"));

    JsonNode invalid = error(call(at, "POST", "/internal/agents/updates",
        "{\"agentId\":\"a1\",\"updates\":[{\"frameworkId\":\"f\",\"status\":{\"taskId\":\"t\",\"state\":\"RUNNING\"}},"
            + "{\"agentId\":\"a1\",\"status\":{\"state\":\"RUNNING\"}}, null]}"), 422);
    StringBuilder paths = new StringBuilder();
    invalid.path("errors").forEach(e -> paths.append(e.path("path").asText()).append(' '));
    assertEquals("updates[1].frameworkId updates[1].status updates[2] ", paths.toString());

    assertEquals(202, call(at, "POST", "/internal/agents/updates", "{\"agentId\":\"a1\",\"updates\":[]}").statusCode());
  }

  @Test
  void aStandbySendsAgentsToTheLeaderOrAnswers503() throws Exception {
    Leadership[] leadership = {standby(Optional.empty())};
    Leadership delegate = new Leadership() {
      @Override
      public boolean isLeader() {
        return leadership[0].isLeader();
      }

      @Override
      public Optional<String> leaderEndpoint() {
        return leadership[0].leaderEndpoint();
      }
    };
    try (MasterHttpServer standby = new MasterHttpServer(new MasterRef(master.master()), delegate, "127.0.0.1", 0)) {
      String at = "127.0.0.1:" + standby.port();
      assertTrue(error(call(at, "POST", "/internal/agents/heartbeat", "{\"agentId\":\"a\"}"), 503)
          .path("message").asText().contains("no leader is elected yet"));

      leadership[0] = standby(Optional.of("10.1.2.3:5050"));
      HttpResponse<String> r = call(at, "POST", "/internal/agents/update?x=1", "{}");
      assertEquals(307, r.statusCode());
      assertEquals("http://10.1.2.3:5050/internal/agents/update?x=1", r.headers().firstValue("Location").orElse(null));
    }
  }

  private static Leadership standby(Optional<String> leader) {
    return new Leadership() {
      @Override
      public boolean isLeader() {
        return false;
      }

      @Override
      public Optional<String> leaderEndpoint() {
        return leader;
      }
    };
  }
}
