package io.trellis.faults.rig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP to the rig's servers, with the admin's bearer token, as an operator's client would call. */
public final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final String token;

  Api(String token) {
    this.token = token;
  }

  /** One answer: its status and body. */
  public record Answer(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (status " + status + "): " + Node.tail(body, 300), e);
      }
    }

    public boolean ok() {
      return status / 100 == 2;
    }

    /** The JSON body of a 2xx answer; otherwise an exception naming the status and body. */
    public JsonNode expectOk(String what) {
      if (!ok()) {
        throw new IllegalStateException(what + " answered " + status + ": " + Node.tail(body, 300));
      }
      return body.isBlank() ? JSON.nullNode() : json();
    }
  }

  public Answer get(String url) {
    return send(request(url).GET().build());
  }

  /** A GET that gives up after {@code timeout} (polls of processes that may be stopped). */
  public Answer get(String url, Duration timeout) {
    return send(request(url).timeout(timeout).GET().build());
  }

  public Answer post(String url, Object body) {
    return send(request(url).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text(body))).build());
  }

  public Answer put(String url, Object body) {
    return send(request(url).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(text(body))).build());
  }

  public Answer delete(String url) {
    return send(request(url).DELETE().build());
  }

  /** Sends a request made by the caller (raw bodies, other headers); the token is added. */
  public Answer send(HttpRequest.Builder raw) {
    return send(raw.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build());
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
  }

  private static String text(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
    }
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling " + request.uri(), e);
    }
  }
}
