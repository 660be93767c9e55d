package io.trellis.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The jobs API over HTTP for cluster tests, with polling waits. */
final class Api {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  volatile String base;
  /** The Authorization header's value, or null for none. */
  volatile String authorization;

  Api(String endpoint) {
    this.base = "http://" + endpoint;
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  void post(String path, String body) throws Exception {
    HttpResponse<String> r = send("POST", path, body);
    if (r.statusCode() != 204) {
      throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return Json.mapper().readTree(r.body());
  }

  JsonNode history(String job) throws Exception {
    return get("/v1/scheduler/job/" + job + "/history");
  }

  /** Polls the job's history until it matches; fails with the last history after the timeout. */
  JsonNode awaitHistory(String job, Predicate<JsonNode> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = history(job);
        if (condition.test(last)) {
          return last;
        }
      } catch (java.io.IOException | AssertionError e) {
        // Not up yet, or not leading yet.
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("history of " + job + " did not match within " + timeout + ": " + last);
  }

  /** Polls {@code /v1/scheduler/leader} until this instance leads and has recovered. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get("/v1/scheduler/leader");
        if (last.path("leading").asBoolean() && last.path("recovered").asBoolean()) {
          return;
        }
      } catch (java.io.IOException | AssertionError e) {
        // Not up yet.
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the jobs instance at " + base + " did not lead and recover within " + timeout + ": " + last);
  }

  static long count(JsonNode runs, String state) {
    long n = 0;
    for (JsonNode r : runs) {
      if (r.path("state").asText().equals(state)) {
        n++;
      }
    }
    return n;
  }
}
