package io.trellis.jobs.framework;

import io.trellis.core.time.Timer;
import io.trellis.jobs.JobsException;
import java.time.Duration;
import io.trellis.jobs.store.FencedException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the jobs engine: API calls, task updates and timers all run on it.
 * It is also the engine's {@link Timer} on the real clock.
 */
public final class EventLoop implements Timer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private final Consumer<FencedException> fenced;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trellis-jobs-loop");
    t.setDaemon(true);
    return t;
  });

  /** @param fenced called on the loop when a task's write was refused for a newer leader's epoch */
  public EventLoop(Consumer<FencedException> fenced) {
    this.fenced = fenced;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    long micros = Math.max(0, delay.toNanos() / 1000);
    Future<?> f = executor.schedule(() -> guarded(task), micros, TimeUnit.MICROSECONDS);
    return () -> f.cancel(false);
  }

  public void execute(Runnable task) {
    executor.execute(() -> guarded(task));
  }

  /** Runs {@code work} on the loop and waits for it; its {@link JobsException} reaches the caller. */
  public <T> T call(Callable<T> work) {
    Future<T> f = executor.submit(work);
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobsException(503, "interrupted while waiting for the jobs engine", List.of());
    } catch (TimeoutException e) {
      f.cancel(false);
      throw new JobsException(503, "the jobs engine did not answer within 30 s; retry", List.of());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (FencedException e) {
      fenced.accept(e);
    } catch (RuntimeException e) {
      log.error("jobs engine task failed: {}", e.toString(), e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
