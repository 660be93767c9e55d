package io.trellis.security;

/**
 * An access decision and the rule that made it ("rule 3: principals [ci] may not manage_apps
 * /prod/*", "no rule allows it (default deny)"), which a 403 names.
 */
public record Decision(boolean allowed, String rule) {
  public static Decision allow(String rule) {
    return new Decision(true, rule);
  }

  public static Decision deny(String rule) {
    return new Decision(false, rule);
  }
}
