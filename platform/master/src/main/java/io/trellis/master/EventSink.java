package io.trellis.master;

import io.trellis.api.SchedulerEvent;

/** The open subscription stream of a framework. */
public interface EventSink {
  /** Sends an event; returns false when the stream is closed and nothing was sent. */
  boolean send(SchedulerEvent event);

  void close();
}
