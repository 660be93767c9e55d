package io.trellis.security;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import javax.net.ssl.SSLContext;

/**
 * What a Trellis client (the client library, the CLI, a framework, a master calling agents, an
 * agent calling masters) presents and trusts: a bearer token or basic credentials, and TLS
 * settings. Every HTTP client in Trellis builds its {@link HttpClient} and requests through one
 * of these, so credentials and TLS are applied in one place.
 */
public final class ClientSecurity {
  private static final ClientSecurity NONE = new ClientSecurity(null, null);

  private final String authorization;
  private final SSLContext ssl;

  /**
   * @param authorization the value of the {@code Authorization} header ({@code "Bearer ..."},
   *     {@code "Basic ..."}), or {@code null} for none
   * @param ssl the TLS context (trusted CAs, client certificate for mutual TLS), or {@code null}
   *     for plain HTTP
   */
  public ClientSecurity(String authorization, SSLContext ssl) {
    this.authorization = authorization;
    this.ssl = ssl;
  }

  /** No credentials, plain HTTP. */
  public static ClientSecurity none() {
    return NONE;
  }

  /** This client's TLS settings with a bearer token. */
  public ClientSecurity withToken(String token) {
    return new ClientSecurity(token == null ? null : "Bearer " + token, ssl);
  }

  /** These credentials with TLS settings. */
  public ClientSecurity withSsl(SSLContext context) {
    return new ClientSecurity(authorization, context);
  }

  /** The {@code Authorization} header's value, or {@code null}. */
  public String authorization() {
    return authorization;
  }

  public SSLContext ssl() {
    return ssl;
  }

  /** {@code https} when TLS is configured, else {@code http}. */
  public String scheme() {
    return ssl == null ? "http" : "https";
  }

  /** A base URL for {@code host:port}. */
  public String url(String endpoint) {
    return scheme() + "://" + endpoint;
  }

  /** An HTTP client builder with this TLS context applied. */
  public HttpClient.Builder httpClient() {
    HttpClient.Builder b = HttpClient.newBuilder();
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b;
  }

  /** Adds the credentials to a request. */
  public HttpRequest.Builder authorize(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }
}
