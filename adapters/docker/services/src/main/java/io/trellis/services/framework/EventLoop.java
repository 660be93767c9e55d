package io.trellis.services.framework;

import io.trellis.core.time.Timer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one thread that owns the framework's state; everything else submits work to it. */
public final class EventLoop implements Timer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private final ScheduledThreadPoolExecutor executor;

  public EventLoop(String name) {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  public <T> CompletableFuture<T> submit(Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          f.complete(work.call());
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("the services framework is stopped"));
    }
    return f;
  }

  /** Runs {@code work} on the loop, logging a failure (there is nobody to return it to). */
  public void execute(String what, Runnable work) {
    try {
      executor.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.warn("{} failed: {}", what, e.toString());
          log.debug("{} failed", what, e);
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("{} dropped: the loop is stopped", what);
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> f = executor.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("timer task failed: {}", e.toString());
          log.debug("timer task failed", e);
        }
      }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
