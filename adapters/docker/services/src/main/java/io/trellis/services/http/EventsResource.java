package io.trellis.services.http;

import io.trellis.services.event.EventBus;
import io.trellis.services.event.ServiceEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;

/**
 * {@code /v2/events}: Server-Sent Events, one per status update, health change and deployment
 * step; {@code ?event_type=} keeps only the named types.
 */
@Path("v2/events")
public final class EventsResource {
  private final EventBus bus;

  EventsResource(EventBus bus) {
    this.bus = bus;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(@Context SseEventSink sink, @Context Sse sse, @QueryParam("event_type") List<String> types) {
    AutoCloseable[] subscription = new AutoCloseable[1];
    subscription[0] = bus.subscribe(e -> send(sink, sse, e, types));
    send(sink, sse, new ServiceEvent("event_stream_attached", Map.of("eventType", "event_stream_attached")), List.of());
  }

  private static void send(SseEventSink sink, Sse sse, ServiceEvent e, List<String> types) {
    if (sink.isClosed()) {
      throw new IllegalStateException("event stream closed");
    }
    if (!types.isEmpty() && !types.contains(e.eventType())) {
      return;
    }
    String data;
    try {
      data = Views.MAPPER.writeValueAsString(e.data());
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
    sink.send(sse.newEventBuilder().name(e.eventType()).data(data).build())
        .whenComplete((r, ex) -> {
          if (ex != null) {
            sink.close();
          }
        });
  }
}
