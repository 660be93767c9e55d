package io.trellis.api;

import java.util.List;

/**
 * An event on a framework's subscription stream: one JSON object per line of the streaming
 * response to SUBSCRIBE. Exactly the field that matches {@code type} is set.
 */
public record SchedulerEvent(Type type, Subscribed subscribed, List<OfferInfo> offers,
    String rescindOfferId, TaskStatus update, String message, GangUpdate gang) {

  /** An event without a gang update (the form before gangs). */
  public SchedulerEvent(Type type, Subscribed subscribed, List<OfferInfo> offers,
      String rescindOfferId, TaskStatus update, String message) {
    this(type, subscribed, offers, rescindOfferId, update, message, null);
  }

  public enum Type { SUBSCRIBED, OFFERS, RESCIND, UPDATE, FAILURE, ERROR, HEARTBEAT, GANG }

  /**
   * A gang of the framework stopped waiting without being offered: EXPIRED (a SOFT gang whose
   * timeout passed; its members now wait as a plain demand) or FAILED (a HARD gang whose timeout
   * passed, or a gang that can no longer fit the cluster); {@code reason} says what blocked it.
   *
   * @param membersFitting how many members fitted when it stopped waiting
   */
  public record GangUpdate(String demandId, String role, GangState state, int membersFitting,
      String reason) {}

  public static SchedulerEvent gang(GangUpdate update) {
    return new SchedulerEvent(Type.GANG, null, null, null, null, null, update);
  }

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
