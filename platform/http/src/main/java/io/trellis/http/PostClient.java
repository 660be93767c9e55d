package io.trellis.http;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * POSTs of small JSON bodies over HTTP/1.1 on a non-blocking client whose answers complete on its
 * I/O thread: the master's calls to agents, and the simulated agents' calls to the master. A call
 * costs the caller a few microseconds of its own work here; the JDK's client took several hundred
 * per call in hand-offs between its threads, the largest share of the master's CPU when it filled
 * a cluster.
 *
 * <p>At most {@code maxConnections} connections are open across all servers (the least recently
 * used idle one is closed to open another), and idle ones close after a while: a master speaking
 * to ten thousand agents does not hold ten thousand sockets.
 */
public final class PostClient implements AutoCloseable {
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  private final CloseableHttpAsyncClient client;
  private volatile boolean closed;

  /** The answer of a call: its status and body. */
  public record Answer(int status, String body) {
  }

  /**
   * @param name names the client's I/O threads
   * @param ssl the TLS context to reach servers over https with ({@code null}: plain http)
   * @param maxConnections connections open at most, across all servers
   * @param maxPerServer connections open at most to one server
   * @param timeout how long a connection may stay silent, and a call wait for its answer
   */
  public PostClient(String name, SSLContext ssl, int maxConnections, int maxPerServer, java.time.Duration timeout) {
    PoolingAsyncClientConnectionManagerBuilder pool = PoolingAsyncClientConnectionManagerBuilder.create()
        .setMaxConnTotal(maxConnections)
        .setMaxConnPerRoute(Math.min(maxConnections, maxPerServer))
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(3))
            .setSocketTimeout(Timeout.of(timeout))
            // A connection to a server that restarted fails once; callers retry on a new one.
            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
            .build())
        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build());
    if (ssl != null) {
      pool.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).build());
    }
    int n = CLIENTS.incrementAndGet();
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(pool.build())
        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
        .setIOReactorConfig(IOReactorConfig.custom()
            .setIoThreadCount(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2)))
            .setSoTimeout(Timeout.of(timeout))
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build())
        .setThreadFactory(r -> {
          Thread t = new Thread(r, name + "-" + n);
          t.setDaemon(true);
          return t;
        })
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableConnectionState()
        .evictIdleConnections(TimeValue.ofSeconds(30))
        .build();
    client.start();
  }

  /** Whether {@link #close} was called: calls fail at once, and failures are not worth a retry. */
  public boolean closed() {
    return closed;
  }

  /** POSTs {@code json} to {@code uri} with {@code headers}; completes on the client's I/O thread. */
  public CompletableFuture<Answer> post(URI uri, Map<String, String> headers, byte[] json) {
    SimpleRequestBuilder builder = SimpleRequestBuilder.post(uri).setBody(json, ContentType.APPLICATION_JSON);
    headers.forEach(builder::addHeader);
    SimpleHttpRequest request = builder.build();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    try {
      client.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(),
          new FutureCallback<SimpleHttpResponse>() {
            @Override
            public void completed(SimpleHttpResponse response) {
              answer.complete(new Answer(response.getCode(), response.getBodyText() == null ? "" : response.getBodyText()));
            }

            @Override
            public void failed(Exception e) {
              answer.completeExceptionally(e);
            }

            @Override
            public void cancelled() {
              answer.completeExceptionally(new java.util.concurrent.CancellationException(
                  "the call to " + uri + " was cancelled: the client is closing"));
            }
          });
    } catch (RuntimeException e) {
      // Closed, or stopping: the call never left.
      answer.completeExceptionally(e);
    }
    return answer;
  }

  @Override
  public void close() {
    closed = true;
    client.close(CloseMode.IMMEDIATE);
  }
}
