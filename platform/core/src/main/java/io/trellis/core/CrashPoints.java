package io.trellis.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places in the code where a fault test can make the process die as if killed with {@code kill -9}.
 *
 * <p>Inert unless the environment variable {@value #VARIABLE} names one point:
 * {@code TRELLIS_CRASH_POINT=<name>[@<n>]}. On the n-th time (default the first) that point is
 * reached, the process writes {@code crash point <name> reached} to stderr and halts with status
 * 137 at once: no shutdown hooks, no finally blocks, nothing flushed. Unset, {@link #reached}
 * reads one constant and returns. A malformed value halts the process with status 2 and says why
 * at the first point reached, so a fault test never passes for want of a crash.
 *
 * <p>The points (their names are what the fault suite passes; keep this list and the suite's in step):
 * <ul>
 *   <li>{@code services.instance-stored}: services wrote a new instance to ZooKeeper, not yet launched;
 *   <li>{@code services.launch-sent}: services sent an ACCEPT with launches, its answer not yet seen;
 *   <li>{@code services.before-acknowledge}: services received a status update, not yet acknowledged;
 *   <li>{@code master.accept-forwarded}: the master forwarded an ACCEPT's launches to the agent,
 *       not yet answered the framework;
 *   <li>{@code jobs.slot-recorded}: jobs recorded the runs of coming slots ahead, not yet the jobs'
 *       next slots;
 *   <li>{@code jobs.run-recorded}: a slot came (or a run was started by hand or by a parent): its
 *       runs are recorded, their launches not yet queued;
 *   <li>{@code jobs.launch-sent}: jobs sent a run's launch, its answer not yet recorded.
 * </ul>
 */
public final class CrashPoints {
  /** The environment variable naming the point to crash at. */
  public static final String VARIABLE = "TRELLIS_CRASH_POINT";
  /** The exit status of a crash, the same as a process killed by SIGKILL. */
  public static final int STATUS = 137;

  private static final String ARMED;
  private static final int AT;
  private static final AtomicInteger HITS = new AtomicInteger();

  static {
    Armed armed = null;
    try {
      armed = Armed.parse(System.getenv(VARIABLE));
    } catch (IllegalArgumentException e) {
      // A fault test that set the variable wrongly would otherwise pass without crashing anything.
      System.err.println(e.getMessage());
      System.err.flush();
      Runtime.getRuntime().halt(2);
    }
    ARMED = armed == null ? null : armed.name();
    AT = armed == null ? 0 : armed.at();
  }

  private CrashPoints() {}

  /** Marks that the code reached point {@code name}; halts the process if this is the armed hit. */
  public static void reached(String name) {
    if (ARMED != null && ARMED.equals(name) && HITS.incrementAndGet() == AT) {
      System.err.println("crash point " + name + " reached");
      System.err.flush();
      Runtime.getRuntime().halt(STATUS);
    }
  }

  /** The point the variable arms and the hit it halts at. */
  record Armed(String name, int at) {
    /** Parses {@code <name>[@<n>]}; null when unset or empty; a malformed value is refused. */
    static Armed parse(String value) {
      if (value == null || value.isBlank()) {
        return null;
      }
      int sign = value.lastIndexOf('@');
      String name = (sign < 0 ? value : value.substring(0, sign)).trim();
      int at = 1;
      if (sign >= 0) {
        try {
          at = Integer.parseInt(value.substring(sign + 1).trim());
        } catch (NumberFormatException e) {
          at = 0;
        }
      }
      if (name.isEmpty() || at < 1) {
        throw new IllegalArgumentException(VARIABLE + "=" + value
            + ": expected <name>[@<n>] with a point's name and n a whole number of at least 1");
      }
      return new Armed(name, at);
    }
  }
}
