package io.trellis.client;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskStatus;
import java.util.List;

/**
 * A framework's callbacks. They run one at a time on the client's event thread, in the order
 * the master sent the events; they may call back into the {@link SchedulerClient}.
 */
public interface Scheduler {
  /** Subscribed (again, after a reconnect) with this framework id. */
  default void subscribed(SchedulerClient client, String frameworkId) {}

  default void offers(SchedulerClient client, List<OfferInfo> offers) {}

  default void rescind(SchedulerClient client, String offerId) {}

  /**
   * A task changed state. Unless the client was built without automatic acknowledgement, the
   * update is acknowledged after this returns.
   */
  default void update(SchedulerClient client, TaskStatus status) {}

  /**
   * A gang stopped waiting without being offered: EXPIRED (soft: its members now wait as a plain
   * demand) or FAILED (hard), with how many members fitted and what blocked the rest.
   */
  default void gang(SchedulerClient client, SchedulerEvent.GangUpdate update) {}

  /** The master refused the subscription or reported an error; the message says why. */
  default void error(SchedulerClient client, String message) {}

  /** The stream to the master broke; the client reconnects by itself. */
  default void disconnected(SchedulerClient client, String reason) {}
}
