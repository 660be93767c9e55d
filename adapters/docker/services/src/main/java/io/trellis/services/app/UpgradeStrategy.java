package io.trellis.services.app;

/**
 * How a new version replaces the old: at least {@code minimumHealthCapacity} × instances stay
 * healthy, at most (1 + {@code maximumOverCapacity}) × instances run at once.
 */
public record UpgradeStrategy(Double minimumHealthCapacity, Double maximumOverCapacity) {
  public static final UpgradeStrategy DEFAULT = new UpgradeStrategy(1.0, 1.0);

  UpgradeStrategy withDefaults() {
    return new UpgradeStrategy(minimumHealthCapacity == null ? 1.0 : minimumHealthCapacity,
        maximumOverCapacity == null ? 1.0 : maximumOverCapacity);
  }
}
