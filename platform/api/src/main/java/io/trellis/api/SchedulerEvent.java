package io.trellis.api;

import java.util.List;

/**
 * An event on a framework's subscription stream: one JSON object per line of the streaming
 * response to SUBSCRIBE. Exactly the field that matches {@code type} is set.
 */
public record SchedulerEvent(Type type, Subscribed subscribed, List<OfferInfo> offers,
    String rescindOfferId, TaskStatus update, String message) {

  public enum Type { SUBSCRIBED, OFFERS, RESCIND, UPDATE, FAILURE, ERROR, HEARTBEAT }

  /** @param heartbeatIntervalSeconds how often HEARTBEAT events arrive on an idle stream */
  public record Subscribed(String frameworkId, double heartbeatIntervalSeconds, String masterId) {}

  public static SchedulerEvent subscribed(Subscribed s) {
    return new SchedulerEvent(Type.SUBSCRIBED, s, null, null, null, null);
  }

  public static SchedulerEvent offers(List<OfferInfo> offers) {
    return new SchedulerEvent(Type.OFFERS, null, offers, null, null, null);
  }

  public static SchedulerEvent rescind(String offerId) {
    return new SchedulerEvent(Type.RESCIND, null, null, offerId, null, null);
  }

  public static SchedulerEvent update(TaskStatus status) {
    return new SchedulerEvent(Type.UPDATE, null, null, null, status, null);
  }

  public static SchedulerEvent failure(String message) {
    return new SchedulerEvent(Type.FAILURE, null, null, null, null, message);
  }

  public static SchedulerEvent error(String message) {
    return new SchedulerEvent(Type.ERROR, null, null, null, null, message);
  }

  public static SchedulerEvent heartbeat() {
    return new SchedulerEvent(Type.HEARTBEAT, null, null, null, null, null);
  }
}
