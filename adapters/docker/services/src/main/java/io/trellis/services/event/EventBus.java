package io.trellis.services.event;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands every event to the current listeners (the open event streams); safe from any thread. */
public final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private final List<Consumer<ServiceEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;

  public EventBus(Clock clock) {
    this.clock = clock;
  }

  public AutoCloseable subscribe(Consumer<ServiceEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Publishes an event; {@code fields} are name/value pairs. A timestamp is added. */
  public void publish(String type, Object... fields) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("eventType", type);
    data.put("timestamp", clock.instant().toString());
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i + 1] != null) {
        data.put((String) fields[i], fields[i + 1]);
      }
    }
    ServiceEvent e = new ServiceEvent(type, data);
    log.debug("event {}", data);
    for (Consumer<ServiceEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        listeners.remove(l);
        log.debug("event listener dropped: {}", ex.toString());
      }
    }
  }

  public int listenerCount() {
    return listeners.size();
  }
}
