package io.trellis.services.placement;

import java.util.List;

/** One placement rule of an app, such as {@code ["hostname", "UNIQUE"]}. */
@FunctionalInterface
public interface Constraint {
  /**
   * Null when an instance may go to {@code candidate} given where the app's other instances
   * are; otherwise why not.
   */
  String veto(Spot candidate, List<Spot> placed);
}
