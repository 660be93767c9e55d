package io.trellis.plugin;

import io.trellis.security.ClientSecurity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * A Trellis API a command calls (the services or the jobs API): its base URL and an HTTP client,
 * both with the command's credentials and TLS settings. With TLS settings every Trellis server
 * speaks https, so an {@code http://} base (such as a default) is taken as {@code https://}.
 */
public final class ApiEndpoint {
  private final String base;
  private final ClientSecurity security;
  private final HttpClient http;

  public ApiEndpoint(String url, ClientSecurity security) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.base = security.ssl() != null && trimmed.startsWith("http://")
        ? "https://" + trimmed.substring("http://".length()) : trimmed;
    this.security = security;
    this.http = security.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String base() {
    return base;
  }

  public ClientSecurity security() {
    return security;
  }

  public HttpClient http() {
    return http;
  }

  /** A request to {@code path} with the credentials. */
  public HttpRequest.Builder request(String path) {
    return security.authorize(HttpRequest.newBuilder(URI.create(base + path)));
  }
}
