package io.trellis.jobs.run;

/** Why a run exists. The letter is part of the run's key and task id. */
public enum Trigger {
  /** A slot of the job's schedule, on time (within epsilon). */
  SCHEDULE('s'),
  /** A slot missed by more than epsilon, run under the missed-run policy. */
  MISSED('m'),
  /** All parents succeeded since the last run. */
  DEPENDENCY('d'),
  /** Asked for through the API. */
  MANUAL('u');

  private final char letter;

  Trigger(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }
}
