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
 *
 * <p>Urgent work ({@link #submitUrgent}: agents' heartbeats) goes ahead of everything queued:
 * the loop runs it before each piece of ordinary work, so it waits at most for the one running
 * now (an allocation cycle, say), never for the thousands of calls queued behind it.
 */
public final class EventLoop implements Timer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private final ScheduledExecutorService executor;
  private volatile Thread thread;
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> urgent = new java.util.concurrent.ConcurrentLinkedQueue<>();

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
      runUrgent();
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * As {@link #submit}, ahead of the ordinary work already queued: for work that must not starve
   * behind allocation or a burst of calls, and that is quick (it delays everything else).
   */
  public <T> CompletableFuture<T> submitUrgent(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (executor.isShutdown()) {
      result.completeExceptionally(new ApiException(503, "this master stopped leading; retry against the leader"));
      return result;
    }
    urgent.add(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      // Wakes an idle loop; a busy one gets to it before its next piece of work.
      executor.execute(this::runUrgent);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      result.completeExceptionally(new ApiException(503, "this master stopped leading; retry against the leader"));
    }
    return result;
  }

  /** Runs the urgent work queued so far; on the loop only. */
  private void runUrgent() {
    for (Runnable r; (r = urgent.poll()) != null; ) {
      r.run();
    }
  }

  /** Runs {@code work} on the loop, logging (not losing) a failure. */
  public void execute(Runnable work) {
    try {
      executor.execute(() -> {
        runUrgent();
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
      runUrgent();
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
      runUrgent();
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
