package io.trellis.jobs.schedule;

import io.trellis.jobs.schedule.quartz.CronSchedule;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Reads a job's schedule text: an ISO 8601 repeating interval, or {@code cron: <expression>}. */
public final class Schedules {
  public static final String CRON_PREFIX = "cron:";

  private Schedules() {}

  /**
   * @param timeZone the schedule time zone (an IANA id such as {@code Europe/Berlin}); UTC when
   *     null or empty
   * @param now the start of a schedule that gives none
   */
  public static Schedule parse(String schedule, String timeZone, Instant now) {
    if (schedule == null || schedule.isBlank()) {
      throw new InvalidScheduleException("empty schedule: expected " + IsoSchedule.FORM
          + " or 'cron: <expression>'");
    }
    ZoneId zone = zone(timeZone);
    String s = schedule.strip();
    if (s.regionMatches(true, 0, CRON_PREFIX, 0, CRON_PREFIX.length())) {
      return CronSchedule.parse(s.substring(CRON_PREFIX.length()).strip(), zone);
    }
    return IsoSchedule.parse(s, zone, now);
  }

  public static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(timeZone.strip());
    } catch (DateTimeException e) {
      throw new InvalidScheduleException("unknown time zone '" + timeZone
          + "': expected an IANA zone id such as Europe/Berlin or UTC");
    }
  }
}
