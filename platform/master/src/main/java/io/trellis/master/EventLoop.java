package io.trellis.master;

import io.trellis.core.time.Timer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns all master state. HTTP, ZooKeeper and timer threads submit work
 * and wait on futures; nothing else touches the state, so domain code needs no locks.
 */
public final class EventLoop implements Timer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private final ScheduledExecutorService executor;
  private volatile Thread thread;

  public EventLoop(String name) {
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      thread = t;
      return t;
    });
  }

  /** Runs {@code work} on the loop and completes with its result or its exception. */
  public <T> CompletableFuture<T> submit(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (executor.isShutdown()) {
      result.completeExceptionally(new ApiException(503, "this master stopped leading; retry against the leader"));
      return result;
    }
    executor.execute(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Runs {@code work} on the loop, logging (not losing) a failure. */
  public void execute(Runnable work) {
    try {
      executor.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.error("event loop task failed", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      log.debug("event loop closed; dropping a task");
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("scheduled task failed", e);
      }
    }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Runs {@code task} every {@code period} on the loop until closed. */
  public void every(Duration period, Runnable task) {
    executor.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("periodic task failed", e);
      }
    }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
