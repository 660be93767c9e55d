package io.trellis.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Opens a TCP connection to the task's port: connecting within the timeout passes. */
final class TcpProbe implements Probe {
  private final String host;
  private final int port;
  private final Duration timeout;
  private final ScheduledExecutorService timers;

  TcpProbe(String host, int port, Duration timeout, ScheduledExecutorService timers) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
    this.timers = timers;
  }

  @Override
  public String description() {
    return "TCP connect to " + host + ":" + port;
  }

  @Override
  public CompletableFuture<ProbeResult> run() {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(ProbeResult.fail(Failures.describe(e, timeout)));
    }
    ScheduledFuture<?> deadline = timers.schedule(() -> {
      if (result.complete(ProbeResult.fail("timed out after " + Failures.seconds(timeout)))) {
        close(channel);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      channel.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
        @Override
        public void completed(Void v, Void attachment) {
          deadline.cancel(false);
          result.complete(ProbeResult.pass("connected"));
          close(channel);
        }

        @Override
        public void failed(Throwable e, Void attachment) {
          deadline.cancel(false);
          result.complete(ProbeResult.fail(Failures.describe(e, timeout)));
          close(channel);
        }
      });
    } catch (RuntimeException e) {
      deadline.cancel(false);
      result.complete(ProbeResult.fail(Failures.describe(e, timeout)));
      close(channel);
    }
    return result;
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a probe's socket: nothing left to do.
    }
  }
}
