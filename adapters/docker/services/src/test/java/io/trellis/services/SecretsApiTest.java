package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secret environment values reach the app's tasks and nothing else: no answer of the services API
 * or the master, no event, no log line at any level shows them; a partial update keeps them.
 */
class SecretsApiTest extends ServicesClusterTest {
  private static final String SECRET = "hunter2-d4f9c1";

  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:2;mem:1024;disk:1000;ports:[31420-31439]", "");
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aSecretReachesTheTaskButNoAnswerEventOrLogLine() throws Exception {
    Logger trellis = (Logger) LoggerFactory.getLogger("io.trellis");
    Level level = trellis.getLevel();
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    trellis.addAppender(lines);
    trellis.setLevel(Level.DEBUG);
    trellis.setAdditive(false);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HttpClient.newHttpClient()
        .sendAsync(HttpRequest.newBuilder(URI.create(api.base + "/v2/events")).header("Accept", "text/event-stream")
            .build(), HttpResponse.BodyHandlers.ofLines());
    stream.thenAccept(r -> new Thread(() -> r.body().forEach(events::add), "events").start());
    try {
      Waits.until("the event stream is attached", Duration.ofSeconds(10),
          () -> events.stream().anyMatch(e -> e.contains("event_stream_attached")));
      Path out = cluster.dir.resolve("secret-out");
      V2.Reply created = api.send("POST", "/v2/apps", "{\"id\": \"/db-client\", \"cpus\": 0.1, \"mem\": 16,"
          + " \"cmd\": \"printf %s \\\"$DB_PASSWORD\\\" > " + out + "; sleep 600\","
          + " \"env\": {\"PLAIN\": \"visible\", \"DB_PASSWORD\": {\"secret\": \"db\"}},"
          + " \"secrets\": {\"db\": {\"value\": \"" + SECRET + "\"}}}");
      assertEquals(201, created.status(), created.text());
      Waits.until("the task wrote its secret", Duration.ofSeconds(30), () -> {
        try {
          return Files.exists(out) && Files.size(out) > 0;
        } catch (java.io.IOException e) {
          return false;
        }
      });
      assertEquals(SECRET, Files.readString(out), "the task got the secret's value");
      Waits.until("the app is running", Duration.ofSeconds(30), () -> api.readyInstances("/db-client") == 1);

      V2.Reply patched = api.send("PATCH", "/v2/apps/db-client", "{\"labels\": {\"team\": \"db\"}}");
      assertEquals(200, patched.status(), patched.text());

      JsonNode app = api.app("/db-client");
      assertEquals("db", app.path("env").path("DB_PASSWORD").path("secret").asText(), app.toString());
      assertEquals("visible", app.path("env").path("PLAIN").asText());
      assertTrue(app.path("secrets").has("db") && !app.path("secrets").path("db").has("value"), app.toString());

      List<String> answers = new ArrayList<>(List.of(created.text(), patched.text(), app.toString()));
      for (String path : List.of("/v2/apps", "/v2/apps?embed=apps.tasks", "/v2/apps/db-client/versions",
          "/v2/apps/db-client/tasks", "/v2/tasks", "/v2/deployments", "/v2/queue", "/v2/groups")) {
        answers.add(api.get(path).text());
      }
      for (JsonNode v : api.get("/v2/apps/db-client/versions").body().path("versions")) {
        V2.Reply version = api.get("/v2/apps/db-client/versions/" + v.asText());
        assertEquals(200, version.status(), version.text());
        answers.add(version.text());
      }
      String master = "http://" + cluster.master.endpoint();
      answers.add(get(master + "/api/v1/state"));
      answers.add(get(master + "/api/v1/tasks"));
      answers.add(get("http://" + cluster.agents.get(0).endpoint() + "/state"));
      for (String answer : answers) {
        assertFalse(answer.contains(SECRET), "an answer shows the secret: " + answer);
      }
      assertTrue(events.stream().anyMatch(e -> e.contains("api_post_event")), "events were captured: " + events);
      for (String event : events) {
        assertFalse(event.contains(SECRET), "an event shows the secret: " + event);
      }
      assertTrue(lines.list.size() > 0, "debug logging was captured");
      for (ILoggingEvent line : lines.list) {
        assertFalse(line.getFormattedMessage().contains(SECRET), "a log line shows the secret: " + line);
      }
    } finally {
      stream.thenAccept(r -> r.body().close());
      trellis.detachAppender(lines);
      trellis.setLevel(level);
      trellis.setAdditive(true);
      api.send("DELETE", "/v2/apps/db-client?force=true", null);
    }
  }
}
