package io.trellis.agent.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** GET on the task's port: a status from 200 to 399 passes. */
final class HttpProbe implements Probe {
  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;
  private final String description;

  HttpProbe(HttpClient client, String scheme, String host, int port, String path, Duration timeout) {
    this.client = client;
    String p = path == null || path.isBlank() ? "/" : path.startsWith("/") ? path : "/" + path;
    this.uri = URI.create(scheme + "://" + host + ":" + port + p);
    this.timeout = timeout;
    this.description = scheme.toUpperCase(java.util.Locale.ROOT) + " GET " + uri;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public CompletableFuture<ProbeResult> run() {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .handle((response, failure) -> {
            if (failure != null) {
              return ProbeResult.fail(Failures.describe(failure, timeout));
            }
            int status = response.statusCode();
            return status >= 200 && status < 400 ? ProbeResult.pass("returned " + status)
                : ProbeResult.fail("returned " + status);
          });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(ProbeResult.fail(Failures.describe(e, timeout)));
    }
  }
}
