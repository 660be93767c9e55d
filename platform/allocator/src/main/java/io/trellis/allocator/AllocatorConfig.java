package io.trellis.allocator;

import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.Set;

/**
 * Allocator settings.
 *
 * @param batchDelay how long after a change the allocation cycle runs, batching the changes that
 *     arrive meanwhile into one cycle
 * @param offerTimeout how long an offer may stay outstanding before it is rescinded; {@code null}
 *     or zero for never
 * @param minAllocatable an offer must hold at least one of these scalar amounts ({@code
 *     cpus:0.01;mem:32} by default, as in Mesos), so nobody is offered crumbs
 * @param fairnessExcluded resource names left out of share computation (for example {@code gpus}
 *     on clusters where they are scarce)
 * @param fairOffers while several roles wait, offer each at first no more than its weighted fair
 *     share of the cluster (then the rest, in DRF order), instead of whole agents to whoever
 *     comes first as Mesos does
 */
public record AllocatorConfig(Duration batchDelay, Duration offerTimeout, Resources minAllocatable,
    Set<String> fairnessExcluded, boolean fairOffers) {
  public static final AllocatorConfig DEFAULTS = new AllocatorConfig(
      Duration.ofMillis(5), null, Resources.parse("cpus:0.01;mem:32"), Set.of(), true);

  public AllocatorConfig(Duration batchDelay, Duration offerTimeout, Resources minAllocatable,
      Set<String> fairnessExcluded) {
    this(batchDelay, offerTimeout, minAllocatable, fairnessExcluded, true);
  }

  public AllocatorConfig {
    if (batchDelay == null || batchDelay.isNegative()) {
      throw new IllegalArgumentException("batchDelay must be >= 0, got " + batchDelay);
    }
    if (offerTimeout != null && (offerTimeout.isNegative() || offerTimeout.isZero())) {
      offerTimeout = null;
    }
    minAllocatable = minAllocatable == null ? Resources.empty() : minAllocatable.scalars();
    fairnessExcluded = Set.copyOf(fairnessExcluded == null ? Set.of() : fairnessExcluded);
  }

  public AllocatorConfig withOfferTimeout(Duration timeout) {
    return new AllocatorConfig(batchDelay, timeout, minAllocatable, fairnessExcluded, fairOffers);
  }

  public AllocatorConfig withBatchDelay(Duration delay) {
    return new AllocatorConfig(delay, offerTimeout, minAllocatable, fairnessExcluded, fairOffers);
  }

  public AllocatorConfig withFairnessExcluded(Set<String> names) {
    return new AllocatorConfig(batchDelay, offerTimeout, minAllocatable, names, fairOffers);
  }

  public AllocatorConfig withFairOffers(boolean on) {
    return new AllocatorConfig(batchDelay, offerTimeout, minAllocatable, fairnessExcluded, on);
  }
}
