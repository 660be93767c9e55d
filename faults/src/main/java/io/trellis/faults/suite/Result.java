package io.trellis.faults.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The verdicts of one scenario: one row per invariant checked. */
public final class Result {
  private final String scenario;
  private final List<Row> rows = new ArrayList<>();

  public Result(String scenario) {
    this.scenario = scenario;
  }

  /**
   * One verdict.
   *
   * @param recovery how long the cluster took to be whole again (null when not measured)
   */
  public record Row(String scenario, String invariant, boolean held, Duration recovery, String detail) {
    public String verdict() {
      return held ? "held" : "BROKEN";
    }
  }

  /** Adds a verdict; returns this. */
  public Result check(String invariant, boolean held, Duration recovery, String detail) {
    rows.add(new Row(scenario, invariant, held, recovery, detail));
    return this;
  }

  public Result check(String invariant, boolean held, String detail) {
    return check(invariant, held, null, detail);
  }

  /** A scenario that could not run to its verdicts (the rig failed, a wait timed out). */
  public static Result failed(String scenario, Throwable why) {
    return new Result(scenario).check("scenario ran to its verdicts", false, null,
        why.getClass().getSimpleName() + ": " + why.getMessage());
  }

  public String scenario() {
    return scenario;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public boolean allHeld() {
    return !rows.isEmpty() && rows.stream().allMatch(Row::held);
  }

  /** The first broken row's invariant and detail, for assertion messages. */
  public String summary() {
    StringBuilder s = new StringBuilder(scenario);
    rows.forEach(r -> s.append("\n  ").append(r.verdict()).append(" ").append(r.invariant()).append(": ").append(r.detail()));
    return s.toString();
  }
}
