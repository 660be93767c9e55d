package io.trellis.faults.suite;

import io.trellis.faults.rig.Rig;

/**
 * One fault and what must still hold through it. Its name and the invariants it checks are given
 * where it is listed ({@link Catalogue}); the verdicts come from the rig's ledger, the processes of
 * its hosts and the master's state, never from what the scenario asked for.
 */
@FunctionalInterface
public interface Scenario {
  Result run(Rig rig) throws Exception;
}
