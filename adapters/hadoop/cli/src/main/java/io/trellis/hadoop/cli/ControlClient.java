package io.trellis.hadoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The ResourceManager's control API, as {@code trellis hadoop} commands call it. */
final class ControlClient {
  /** A refusal or an unreachable ResourceManager, with the message to show. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final String address;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ControlClient(String address) {
    this.address = address.startsWith("http://") ? address.substring("http://".length()) : address;
  }

  JsonNode get(String path) throws Failure {
    return send(authorized(HttpRequest.newBuilder(uri(path))).GET());
  }

  /** The request with the control API's token, found by the port ({@link io.trellis.security.ControlToken}). */
  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    int colon = address.lastIndexOf(':');
    String token = null;
    try {
      token = colon < 0 ? null : io.trellis.security.ControlToken.find(Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException badPort) {
      // uri() has refused the address already.
    }
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  JsonNode post(String path, Object body) throws Failure {
    try {
      return send(authorized(HttpRequest.newBuilder(uri(path))).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Failure("cannot write the request: " + e.getOriginalMessage());
    }
  }

  private URI uri(String path) throws Failure {
    try {
      return URI.create("http://" + address + path);
    } catch (IllegalArgumentException e) {
      throw new Failure("bad ResourceManager address '" + address + "': expected host:port");
    }
  }

  private JsonNode send(HttpRequest.Builder request) throws Failure {
    HttpResponse<String> r;
    try {
      r = http.send(request.timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("no ResourceManager answers at " + address + " (" + e.getClass().getSimpleName()
          + "); start one with 'trellis hadoop resourcemanager' or pass --rm host:port");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new Failure(address + " answered " + r.statusCode() + " with something that is not JSON: is it a"
          + " trellis hadoop resourcemanager's control port?");
    }
    if (r.statusCode() != 200) {
      throw new Failure(body.path("message").asText("HTTP " + r.statusCode()));
    }
    return body;
  }
}
