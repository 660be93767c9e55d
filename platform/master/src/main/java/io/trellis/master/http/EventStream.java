package io.trellis.master.http;

import io.trellis.api.SchedulerEvent;
import io.trellis.master.EventLoop;
import io.trellis.master.EventSink;
import java.io.IOException;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * A framework's subscription stream: newline-delimited JSON events. Events are written once the
 * work already queued on the event loop is done, so that the events of a burst (a thousand
 * status updates) leave in one write rather than one each. Used on the event loop only.
 */
final class EventStream implements EventSink {
  private final ChunkedOutput<String> out;
  private final EventLoop loop;
  private final StringBuilder pending = new StringBuilder();
  private boolean flushQueued;

  EventStream(ChunkedOutput<String> out, EventLoop loop) {
    this.out = out;
    this.loop = loop;
  }

  @Override
  public boolean send(SchedulerEvent event) {
    if (out.isClosed()) {
      return false;
    }
    pending.append(Bodies.json(event)).append('\n');
    if (!flushQueued) {
      flushQueued = true;
      loop.execute(this::flush);
    }
    return true;
  }

  private void flush() {
    flushQueued = false;
    if (pending.length() == 0 || out.isClosed()) {
      pending.setLength(0);
      return;
    }
    String chunk = pending.toString();
    pending.setLength(0);
    try {
      out.write(chunk);
    } catch (IOException | RuntimeException e) {
      closeOutput();
    }
  }

  /** Sends what is pending (a last ERROR, say), then closes. */
  @Override
  public void close() {
    flush();
    closeOutput();
  }

  private void closeOutput() {
    try {
      out.close();
    } catch (IOException ignored) {
      // Already closed by the peer.
    }
  }
}
