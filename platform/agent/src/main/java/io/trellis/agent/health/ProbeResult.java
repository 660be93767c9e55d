package io.trellis.agent.health;

/**
 * The outcome of one probe.
 *
 * @param passed whether the check passed
 * @param detail what happened, completing the probe's description: {@code "returned 500"},
 *     {@code "timed out after 2 s"}, {@code "exited with status 1"}
 */
public record ProbeResult(boolean passed, String detail) {
  public static ProbeResult pass(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult fail(String detail) {
    return new ProbeResult(false, detail);
  }
}
