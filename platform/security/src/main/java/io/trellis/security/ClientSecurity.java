package io.trellis.security;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What a Trellis client (the client library, the CLI, a framework, a master calling agents, an
 * agent calling masters) presents and trusts: a bearer token or basic credentials, and TLS
 * settings. Every HTTP client in Trellis builds its {@link HttpClient} and requests through one
 * of these, so credentials and TLS are applied in one place. {@link #fromEnvironment()} finds
 * them the same way in every Trellis process ({@link ClientDiscovery}).
 */
public final class ClientSecurity {
  private static final ClientSecurity NONE = new ClientSecurity(null, null);

  private final String authorization;
  private final SSLContext ssl;
  private final Sources sources;

  /**
   * Where this client's settings came from: to tell a refused user what to do, and to pass the
   * same settings on to the processes Trellis starts for a framework.
   *
   * @param credentials a description of where the credentials came from ("TRELLIS_TOKEN", a
   *     file's path), or null
   * @param hint what a refused user should do next, or null
   * @param ca the PEM bundle trusted, or null
   * @param certificate the client certificate (mutual TLS), or null
   * @param key its key, or null
   */
  public record Sources(String credentials, String hint, Path ca, Path certificate, Path key) {
    static final Sources NONE = new Sources(null, null, null, null, null);
  }

  /**
   * @param authorization the value of the {@code Authorization} header ({@code "Bearer ..."},
   *     {@code "Basic ..."}), or {@code null} for none
   * @param ssl the TLS context (trusted CAs, client certificate for mutual TLS), or {@code null}
   *     for plain HTTP
   */
  public ClientSecurity(String authorization, SSLContext ssl) {
    this(authorization, ssl, Sources.NONE);
  }

  public ClientSecurity(String authorization, SSLContext ssl, Sources sources) {
    this.authorization = authorization;
    this.ssl = ssl;
    this.sources = sources == null ? Sources.NONE : sources;
  }

  /** No credentials, plain HTTP. */
  public static ClientSecurity none() {
    return NONE;
  }

  /**
   * The credentials and TLS settings of this process's environment, found in the documented
   * order ({@link ClientDiscovery}); plain and anonymous when nothing is configured.
   */
  public static ClientSecurity fromEnvironment() {
    return ClientDiscovery.system().discover(ClientDiscovery.Options.NONE);
  }

  /** As {@link #fromEnvironment()}, with a command's options taking precedence. */
  public static ClientSecurity fromEnvironment(ClientDiscovery.Options options) {
    return ClientDiscovery.system().discover(options);
  }

  /** This client's TLS settings with a bearer token. */
  public ClientSecurity withToken(String token) {
    return new ClientSecurity(token == null ? null : "Bearer " + token, ssl, sources);
  }

  /** These credentials with TLS settings. */
  public ClientSecurity withSsl(SSLContext context) {
    return new ClientSecurity(authorization, context, sources);
  }

  /** The {@code Authorization} header's value, or {@code null}. */
  public String authorization() {
    return authorization;
  }

  public SSLContext ssl() {
    return ssl;
  }

  public Sources sources() {
    return sources;
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

  /** The credentials as request headers: {@code Authorization}, or none. */
  public Map<String, String> headers() {
    return authorization == null ? Map.of() : Map.of("Authorization", authorization);
  }

  /** Adds the credentials to a request. */
  public HttpRequest.Builder authorize(HttpRequest.Builder request) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  /**
   * What to say to a user a server refused (401 or 403): where this client's credentials came
   * from, or how to give some.
   */
  public String refusalAdvice(int status) {
    if (status == 403) {
      return "the server knows " + (sources.credentials() == null ? "this caller" : "the credentials from "
          + sources.credentials()) + " but its access rules refuse this call: ask an operator for the right"
          + " permission, or use another principal's token (TRELLIS_TOKEN / --token-file)";
    }
    if (authorization == null) {
      return "no credentials were given: set TRELLIS_TOKEN (or TRELLIS_TOKEN_FILE, or pass --token-file)"
          + (sources.hint() == null ? ", or run on the machine of `trellis local`" : "; " + sources.hint());
    }
    return "the server refused the credentials from " + sources.credentials()
        + ": check the token (TRELLIS_TOKEN / --token-file)" + (sources.hint() == null ? "" : "; " + sources.hint());
  }

  /**
   * What to say when a server at {@code endpoint} cannot be reached: a TLS failure names the CA
   * to trust, a plain client meeting a TLS server (or the reverse) says so.
   */
  public String unreachable(String endpoint, java.io.IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof javax.net.ssl.SSLException) {
      if (why.contains("PKIX") || why.contains("certification path")) {
        why = "its certificate is not signed by a CA this client trusts";
      } else if (why.contains("certificate_required") || why.contains("bad_certificate")) {
        why = "it asks for a client certificate this client does not present or it does not accept";
      } else if (why.contains("terminated the handshake") || why.contains("nrecognized SSL message")) {
        why = "the handshake failed: it may serve plain HTTP (then this client's TLS settings do not fit it:"
            + " unset TRELLIS_CA or --ca), or want a client certificate";
      }
      return "cannot reach " + endpoint + " over TLS (" + why + "): trust the cluster's CA with TRELLIS_CA or --ca"
          + (sources.ca() == null ? "" : " (trusting " + sources.ca() + " now)")
          + ", and for mutual TLS give a client certificate (TRELLIS_CERT and TRELLIS_KEY, or --cert and --key)";
    }
    if (ssl != null && why.contains("header parser received no bytes")) {
      return "cannot reach " + endpoint + " over TLS (it closed the connection after the handshake): it may ask for"
          + " a client certificate (mutual TLS) this client does not present or it does not accept: give one with"
          + " TRELLIS_CERT and TRELLIS_KEY, or --cert and --key";
    }
    if (ssl != null && e instanceof java.net.http.HttpTimeoutException) {
      return "cannot reach " + endpoint + " (" + why + "): if it serves plain HTTP, this client's TLS settings"
          + " do not fit it (unset TRELLIS_CA or --ca" + (sources.ca() == null ? "" : ", trusting " + sources.ca() + " now") + ")";
    }
    if (ssl == null && why.contains("header parser received no bytes")) {
      return "cannot reach " + endpoint + " (" + why + "): if it serves https, trust its CA with TRELLIS_CA or --ca";
    }
    return "cannot reach " + endpoint + ": " + why;
  }

  /**
   * The environment that gives a process Trellis starts (a framework's driver, executors,
   * daemons) these same settings. Its values are secrets: never log them.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (authorization != null && authorization.startsWith("Bearer ")) {
      env.put(ClientDiscovery.TOKEN, authorization.substring("Bearer ".length()));
    } else if (authorization != null && authorization.startsWith("Basic ")) {
      String pair = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())),
          StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      env.put(ClientDiscovery.USER, pair.substring(0, colon));
      env.put(ClientDiscovery.PASSWORD, pair.substring(colon + 1));
    }
    if (sources.ca() != null) {
      env.put(ClientDiscovery.CA, sources.ca().toString());
    }
    if (sources.certificate() != null && sources.key() != null) {
      env.put(ClientDiscovery.CERT, sources.certificate().toString());
      env.put(ClientDiscovery.KEY, sources.key().toString());
    }
    return env;
  }

  @Override
  public String toString() {
    return "ClientSecurity[" + scheme() + ", credentials " + (authorization == null ? "none" : "from " + sources.credentials()) + "]";
  }
}
