package io.trellis.master;

import io.trellis.api.FrameworkInfo;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.time.Timer;
import java.time.Instant;

/** A registered framework; owned by the event loop. */
final class FrameworkState {
  final FrameworkId id;
  FrameworkInfo info;
  EventSink sink;
  String streamId;
  Timer.Cancellable failover;
  final Instant registeredAt;
  /**
   * The principal that subscribed it on this leader, or null (a server without security, or a
   * framework recovered from an earlier leader and not subscribed again yet).
   */
  String principal;

  FrameworkState(FrameworkId id, FrameworkInfo info, Instant registeredAt) {
    this.id = id;
    this.info = info;
    this.registeredAt = registeredAt;
  }

  boolean connected() {
    return sink != null;
  }

  /** Called when a send finds the stream closed. */
  java.util.function.BiConsumer<FrameworkState, EventSink> onBroken = (f, s) -> {};

  void send(io.trellis.api.SchedulerEvent event) {
    EventSink s = sink;
    if (s != null && !s.send(event)) {
      onBroken.accept(this, s);
    }
  }
}
