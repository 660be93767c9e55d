package io.trellis.client;

import io.trellis.api.OfferInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A gang is offered once: when its offers came and did not hold all its members (an offer short
 * of ports, say), the framework asks for the rest again under a new demand id, {@code
 * <name>~<round>}. This keeps the rounds per gang name; one instance per framework, used from
 * one thread.
 */
public final class GangRetries {
  private final Map<String, Integer> rounds = new HashMap<>();

  /** The demand id to ask under for the gang {@code name} now. */
  public String id(String name) {
    int round = rounds.getOrDefault(name, 0);
    return round == 0 ? name : name + "~" + round;
  }

  /** The gang name a demand id (or an offer's gang) stands for. */
  public static String name(String gangId) {
    int i = gangId.lastIndexOf('~');
    return i < 0 ? gangId : gangId.substring(0, i);
  }

  /**
   * After a round of offers: each gang offered whose name still waits is asked for again under
   * its next id; names no longer waiting are forgotten.
   */
  public void offered(List<OfferInfo> offers, Collection<String> stillWaiting) {
    offers.stream().map(OfferInfo::gang).filter(Objects::nonNull).map(GangRetries::name).distinct()
        .filter(stillWaiting::contains).forEach(n -> rounds.merge(n, 1, Integer::sum));
    rounds.keySet().retainAll(stillWaiting);
  }
}
