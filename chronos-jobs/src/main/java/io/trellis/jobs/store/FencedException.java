package io.trellis.jobs.store;

/** A write refused because a newer leader took over: this instance must stop writing. */
public final class FencedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public FencedException(String message) {
    super(message);
  }
}
