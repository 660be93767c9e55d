package io.trellis.services.framework;

import io.trellis.api.SchedulerCall;
import io.trellis.core.resource.Resources;
import io.trellis.services.app.AppDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the master what the apps wait for (one plain demand per app with instances to launch:
 * its instance's cpus, mem, disk and gpus, and how many), so the allocator offers at least one
 * instance's worth and knows the role has work waiting. Sent only when it changes; the client
 * sends it again after every re-subscription. A refused request is logged and changes nothing
 * else: instances still launch from the offers that come.
 */
final class Demands {
  private static final Logger log = LoggerFactory.getLogger(Demands.class);
  private final Parts p;
  private List<SchedulerCall.Demand> last = List.of();

  Demands(Parts parts) {
    this.p = parts;
  }

  void declare(Map<String, Integer> toLaunch) {
    List<SchedulerCall.Demand> now = new ArrayList<>();
    toLaunch.forEach((appId, n) -> {
      AppDefinition app = p.state.apps.get(appId);
      if (n > 0 && app != null) {
        now.add(new SchedulerCall.Demand(appId, p.role, shape(app), n, List.of(), null));
      }
    });
    if (now.equals(last)) {
      return;
    }
    try {
      p.client.request(now);
      last = now;
    } catch (RuntimeException e) {
      log.debug("could not tell the master what the apps wait for: {}", e.getMessage());
    }
  }

  /** One instance's scalars, in the text form. */
  static String shape(AppDefinition app) {
    Resources r = Resources.scalar(Resources.CPUS, app.cpus()).plus(Resources.scalar(Resources.MEM, app.mem()));
    if (app.disk() > 0) {
      r = r.plus(Resources.scalar(Resources.DISK, app.disk()));
    }
    if (app.gpus() > 0) {
      r = r.plus(Resources.scalar("gpus", app.gpus()));
    }
    return r.toString();
  }
}
