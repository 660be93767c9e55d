package io.trellis.allocator;

import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.List;

/**
 * Work a framework waits for under one role: {@code count} members of the shape {@code member}
 * (scalars), placed by {@code constraints}. A plain demand ({@code gang} null) only sets the
 * smallest offer worth making to the framework; a gang is held and offered all together.
 */
public record Demand(String id, String role, Resources member, int count,
    List<MemberConstraint> constraints, Gang gang) {

  public Demand {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a demand needs an id");
    }
    if (member == null || member.scalars().isEmpty()) {
      throw new IllegalArgumentException("demand " + id + " needs a member shape with scalars, got " + member);
    }
    member = member.scalars();
    if (count < 1) {
      throw new IllegalArgumentException("demand " + id + " needs a count of at least 1, got " + count);
    }
    constraints = List.copyOf(constraints == null ? List.of() : constraints);
    if (gang != null && gang.minMember() > count) {
      throw new IllegalArgumentException("gang " + id + " has minMember " + gang.minMember()
          + " above its count " + count);
    }
  }

  /**
   * All-or-nothing terms: offered once {@code minMember} members fit; after {@code timeout}
   * waiting, a soft gang falls back to a plain demand and a hard one fails.
   */
  public record Gang(int minMember, Duration timeout, boolean hard) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    public Gang {
      if (minMember < 1) {
        throw new IllegalArgumentException("minMember must be at least 1, got " + minMember);
      }
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("a gang timeout must not be negative, got " + timeout);
      }
    }
  }
}
