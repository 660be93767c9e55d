package io.trellis.jobs.run;

/**
 * Task ids of runs: {@code job.<name>.<slot millis><trigger letter>.<attempt>}. Characters of the
 * name that do not belong in a task id or path become '_', followed by a hash of the name when
 * any did, so two names never share ids.
 */
public final class TaskIds {
  public static final String PREFIX = "job.";

  private TaskIds() {}

  public static String of(String job, long slot, Trigger trigger, int attempt) {
    return PREFIX + safe(job) + "." + slot + trigger.letter() + "." + attempt;
  }

  static String safe(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean changed = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-') {
        b.append(c);
      } else {
        b.append('_');
        changed = true;
      }
    }
    if (changed) {
      b.append('_').append(Integer.toHexString(name.hashCode()));
    }
    return b.toString();
  }
}
