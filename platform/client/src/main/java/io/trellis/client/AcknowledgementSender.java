package io.trellis.client;

import io.trellis.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued acknowledgements on its own thread, everything queued at the time in one call: a
 * burst of updates costs the master one ACKNOWLEDGE, and acknowledging never holds up the
 * thread that queued it. An acknowledgement that fails is not sent again: the agent sends its
 * update again, and the framework acknowledges it again.
 */
final class AcknowledgementSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AcknowledgementSender.class);
  /** At most this many acknowledgements in one call. */
  static final int MAX_PER_CALL = 1000;
  private final LinkedBlockingQueue<TaskStatus> queue = new LinkedBlockingQueue<>();
  private final Consumer<List<TaskStatus>> send;
  private final Thread thread;
  private volatile boolean closed;

  AcknowledgementSender(String name, Consumer<List<TaskStatus>> send) {
    this.send = send;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void add(TaskStatus status) {
    queue.add(status);
  }

  void addAll(List<TaskStatus> statuses) {
    queue.addAll(statuses);
  }

  private void run() {
    List<TaskStatus> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_PER_CALL - 1);
      try {
        send.accept(batch);
      } catch (RuntimeException e) {
        if (!closed) {
          log.debug("{} acknowledgements not delivered (their updates will come again): {}", batch.size(), e.toString());
        }
      }
      batch.clear();
    }
  }

  /** Stops the thread, then sends what is still queued once, on the caller's thread (best effort). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    List<TaskStatus> rest = new ArrayList<>();
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      try {
        send.accept(rest);
      } catch (RuntimeException e) {
        log.debug("{} acknowledgements not delivered at close: {}", rest.size(), e.toString());
      }
    }
  }
}
