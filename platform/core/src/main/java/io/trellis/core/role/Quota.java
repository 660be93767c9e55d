package io.trellis.core.role;

import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;

/**
 * A role's quota on scalar resources: the {@code guarantee} the allocator satisfies before fair
 * sharing, and the {@code limit} it never exceeds. A resource absent from the limit is unlimited.
 */
public record Quota(Resources guarantee, Resources limit) {
  public static final Quota NONE = new Quota(Resources.empty(), Resources.empty());

  public Quota {
    guarantee = check("guarantee", guarantee);
    limit = check("limit", limit);
    for (Resource g : guarantee.entries()) {
      if (limit.names().contains(g.name()) && limit.millis(g.name()) < g.millis()) {
        throw new IllegalArgumentException("quota guarantee of " + g.name() + " (" + g.amount()
            + ") exceeds its limit (" + limit.scalar(g.name()) + ")");
      }
    }
  }

  public static Quota of(String guarantee, String limit) {
    return new Quota(Resources.parse(guarantee), Resources.parse(limit));
  }

  private static Resources check(String what, Resources r) {
    if (r == null) {
      return Resources.empty();
    }
    for (Resource e : r.entries()) {
      if (!e.isScalar()) {
        throw new IllegalArgumentException("quota " + what + " supports scalar resources only, not " + e.name());
      }
      if (e.isReserved()) {
        throw new IllegalArgumentException("quota " + what + " must not name a role: " + e);
      }
    }
    return r;
  }

  public boolean isNone() {
    return guarantee.isEmpty() && limit.isEmpty();
  }
}
