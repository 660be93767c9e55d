package io.trellis.spark.offer;

import io.trellis.api.OfferInfo;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides which offers to take for executors: an offer is used when its agent satisfies the
 * constraints, is not excluded, and has the cores and memory of at least one executor, as many
 * executors per offer as fit until the application's demand is met. The rest is declined.
 */
public final class OfferPlanner {
  private final ExecutorSize size;
  private final Constraints constraints;

  public OfferPlanner(ExecutorSize size, Constraints constraints) {
    this.size = size;
    this.constraints = constraints;
  }

  public OfferPlan plan(List<OfferInfo> offers, Demand demand, Set<String> excludedAgents) {
    List<OfferPlan.Launch> launches = new ArrayList<>();
    List<OfferPlan.Decline> declines = new ArrayList<>();
    Demand d = demand;
    for (OfferInfo offer : offers) {
      String veto = veto(offer, d, excludedAgents);
      if (veto != null) {
        declines.add(new OfferPlan.Decline(offer, veto));
        continue;
      }
      Resources left = Resources.parse(offer.resources());
      Resources one = Resources.parse(size.resources());
      int n = 0;
      while (d.wantsAnother(size) && left.contains(one)) {
        left = left.minus(one);
        d = d.plus(size);
        n++;
      }
      launches.add(new OfferPlan.Launch(offer, n));
    }
    return new OfferPlan(launches, declines, d);
  }

  private String veto(OfferInfo offer, Demand d, Set<String> excludedAgents) {
    if (!d.wantsAnother(size)) {
      return "no more executors wanted (" + d.liveExecutors() + " running, " + d.liveCores()
          + " cores)";
    }
    if (excludedAgents.contains(offer.agentId())) {
      return "agent " + offer.agentId() + " is excluded after executor failures";
    }
    if (!constraints.accepts(offer.attributes())) {
      return "agent " + offer.agentId() + " attributes " + offer.attributes()
          + " do not meet constraints " + constraints.required();
    }
    Resources available;
    try {
      available = Resources.parse(offer.resources());
    } catch (InvalidResourceException e) {
      return "unreadable resources '" + offer.resources() + "'";
    }
    if (!available.contains(Resources.parse(size.resources()))) {
      return "offer " + offer.resources() + " is smaller than one executor (" + size.resources() + ")";
    }
    return null;
  }
}
