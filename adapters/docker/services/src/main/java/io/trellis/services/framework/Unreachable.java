package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.UnreachableStrategy;
import io.trellis.services.instance.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each app's unreachable strategy to its instances on unreachable agents: past
 * {@code inactiveAfterSeconds} an instance stops counting (a replacement is launched), past
 * {@code expungeAfterSeconds} it is forgotten (killed if it ever comes back, as a task of no
 * app). An instance back before that is counted again, and the app's plan kills the surplus.
 */
final class Unreachable {
  private static final Logger log = LoggerFactory.getLogger(Unreachable.class);
  private final Parts p;

  Unreachable(Parts parts) {
    this.p = parts;
  }

  /**
   * @param inactive the instances that no longer count
   * @param next when the next instance becomes inactive or is forgotten (null: none waits)
   */
  record Sweep(Set<String> inactive, Instant next) {}

  /** Forgets the instances unreachable past their expunge time; returns those inactive now. */
  Sweep sweep(Instant now) {
    Set<String> inactive = new HashSet<>();
    Instant next = null;
    for (Iterator<Map.Entry<String, Instant>> it = p.unreachableSince.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      Instance i = p.state.instances.get(e.getKey());
      AppDefinition app = i == null ? null : p.state.apps.get(i.appId());
      if (app == null) {
        continue;
      }
      UnreachableStrategy s = app.unreachable();
      if (!s.enabled()) {
        continue;
      }
      Instant inactiveAt = e.getValue().plus(seconds(s.inactiveAfterSeconds()));
      Instant expungeAt = e.getValue().plus(seconds(s.expungeAfterSeconds()));
      if (!now.isBefore(expungeAt)) {
        log.info("instance {} of {} unreachable for {} s: forgetting it (killed if it comes back)", i.taskId(),
            i.appId(), Duration.between(e.getValue(), now).toSeconds());
        it.remove();
        p.state.instances.remove(i.taskId());
        p.state.ready.remove(i.taskId());
        p.forget(i.taskId());
        continue;
      }
      if (!now.isBefore(inactiveAt)) {
        inactive.add(i.taskId());
      } else {
        next = earlier(next, inactiveAt);
      }
      next = earlier(next, expungeAt);
    }
    return new Sweep(inactive, next);
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
