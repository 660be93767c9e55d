package io.trellis.jobs.framework;

import io.trellis.api.OfferInfo;
import java.util.List;
import java.util.Locale;

/**
 * Chronos's placement constraints, {@code [attribute, operator, value]}: EQUALS compares the
 * attribute (or {@code hostname}) with the value, LIKE and UNLIKE match it against a regular
 * expression. An offer without the attribute meets only UNLIKE.
 */
final class Constraints {
  private Constraints() {}

  static boolean accept(List<List<String>> constraints, OfferInfo offer) {
    for (List<String> c : constraints) {
      if (c.size() != 3) {
        continue;
      }
      String value = c.get(0).equals("hostname") ? offer.hostname()
          : offer.attributes() == null ? null : offer.attributes().get(c.get(0));
      boolean ok = switch (c.get(1).toUpperCase(Locale.ROOT)) {
        case "EQUALS" -> c.get(2).equals(value);
        case "LIKE" -> value != null && value.matches(c.get(2));
        case "UNLIKE" -> value == null || !value.matches(c.get(2));
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
