package io.trellis.services.framework;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.client.DemandRequests;
import io.trellis.client.GangRetries;
import io.trellis.core.resource.Resources;
import io.trellis.services.app.AppDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the master what the apps wait for: one demand per app with instances to launch (its
 * instance's cpus, mem, disk and gpus, and how many), so the allocator offers at least one
 * instance's worth and knows the role has work waiting. An app labelled {@value #GANG}{@code =true}
 * asks for its instances to launch as one gang: they start together once all fit, from the
 * gang's own offers, or not at all. Sent only when it changes; the client sends it again after
 * every re-subscription. A refused demand never stops the other apps: it is reported on its app
 * and the rest is stated again without it.
 */
final class Demands {
  private static final Logger log = LoggerFactory.getLogger(Demands.class);
  /** App label: {@code true} to start the instances to launch together (a gang). */
  static final String GANG = "trellis.gang";
  /** App label: how long a gang may wait, in seconds (the master's default otherwise). */
  static final String GANG_TIMEOUT = "trellis.gang.timeout";
  /** Constraint operators the master can place a gang's members by. */
  private static final Set<String> GANG_OPERATORS = Set.of("UNIQUE", "CLUSTER", "LIKE", "UNLIKE", "MAX_PER");

  private final Parts p;
  private List<SchedulerCall.Demand> last = List.of();
  /** Gangs offered without all their instances placed are asked for again under a new id. */
  private final GangRetries retries = new GangRetries();

  Demands(Parts parts) {
    this.p = parts;
  }

  static boolean isGang(AppDefinition app) {
    return app.labels() != null && "true".equalsIgnoreCase(app.labels().get(GANG));
  }

  /** The app an offer's gang id names, or {@code null} for an ordinary offer. */
  static String appOf(OfferInfo offer) {
    return offer.gang() == null ? null : GangRetries.name(offer.gang());
  }

  /** Whether the offer may carry instances of the app: a gang's offers its app's alone. */
  static boolean serves(OfferInfo offer, AppDefinition app) {
    String gangApp = appOf(offer);
    return gangApp == null ? !isGang(app) : gangApp.equals(app.id());
  }

  /** After a round of offers: gangs offered and still short of instances are asked for again. */
  void offered(List<OfferInfo> offers, Map<String, Integer> stillWanted) {
    retries.offered(offers, stillWanted.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
        .collect(java.util.stream.Collectors.toSet()));
  }

  void declare(Map<String, Integer> toLaunch) {
    List<SchedulerCall.Demand> now = new ArrayList<>();
    toLaunch.forEach((appId, n) -> {
      AppDefinition app = p.state.apps.get(appId);
      if (n > 0 && app != null) {
        now.add(demand(app, n));
      }
    });
    if (now.equals(last)) {
      return;
    }
    try {
      DemandRequests.send(p.client, now, (d, message) -> {
        AppDefinition app = p.state.apps.get(GangRetries.name(d.id()));
        if (app != null) {
          Queue.failed(p, app, new IllegalArgumentException("its " + d.count() + " instances cannot "
              + (d.gang() != null ? "start together (" + GANG + ")" : "be asked for") + ": " + message));
        }
      });
    } catch (RuntimeException e) {
      log.debug("could not tell the master what the apps wait for: {}", e.getMessage());
      return;
    }
    last = now;
  }

  private SchedulerCall.Demand demand(AppDefinition app, int n) {
    if (!isGang(app)) {
      return new SchedulerCall.Demand(app.id(), p.role, shape(app), n, List.of(), null);
    }
    String id = retries.id(app.id());
    List<List<String>> constraints = app.constraints().stream()
        .allMatch(c -> c.size() >= 2 && GANG_OPERATORS.contains(c.get(1))) ? app.constraints() : List.of();
    return new SchedulerCall.Demand(id, p.role, shape(app), n, constraints,
        new SchedulerCall.Gang(n, timeout(app), SchedulerCall.GangMode.SOFT));
  }

  private static Double timeout(AppDefinition app) {
    String t = app.labels().get(GANG_TIMEOUT);
    if (t == null) {
      return null;
    }
    try {
      double s = Double.parseDouble(t.trim());
      return Double.isFinite(s) && s >= 0 && s <= 604800 ? s : null;
    } catch (NumberFormatException e) {
      return null;
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
