package io.trellis.services.app;

/**
 * What to do with an instance whose agent is unreachable, as Marathon's
 * {@code unreachableStrategy}: after {@code inactiveAfterSeconds} unreachable it stops counting
 * and a replacement is launched; after {@code expungeAfterSeconds} it is forgotten (killed if it
 * ever comes back). An instance back before then is kept and the surplus killed. Written as the
 * string {@code "disabled"} in JSON: unreachable instances keep counting and are never replaced.
 *
 * @param disabled true for {@code "disabled"}
 */
public record UnreachableStrategy(Double inactiveAfterSeconds, Double expungeAfterSeconds, Boolean disabled) {
  /**
   * Marathon's defaults. The master marks an agent unreachable after its agent timeout (75 s),
   * so an instance is replaced about six minutes after its agent went silent, and forgotten
   * when the master removes the agent (ten minutes).
   */
  public static final UnreachableStrategy DEFAULT = new UnreachableStrategy(300.0, 600.0, null);
  public static final UnreachableStrategy DISABLED = new UnreachableStrategy(null, null, true);

  public boolean enabled() {
    return !Boolean.TRUE.equals(disabled);
  }

  UnreachableStrategy withDefaults() {
    if (!enabled()) {
      return DISABLED;
    }
    double inactive = inactiveAfterSeconds == null ? DEFAULT.inactiveAfterSeconds() : inactiveAfterSeconds;
    double expunge = expungeAfterSeconds != null ? expungeAfterSeconds
        : Math.max(inactive, DEFAULT.expungeAfterSeconds());
    return new UnreachableStrategy(inactive, expunge, null);
  }
}
