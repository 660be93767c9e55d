package io.trellis.jobs.schedule.quartz;

import io.trellis.jobs.schedule.InvalidScheduleException;
import io.trellis.jobs.schedule.Schedule;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A cron schedule in a time zone, its fire times computed by Quartz's {@link CronExpression}.
 *
 * <p>Quartz evaluates the expression on wall-clock time (the local date-time of the zone, held in
 * UTC so Quartz never sees a daylight-saving change); each wall-clock fire time then maps to one
 * instant. A local time that falls in a spring-forward gap fires at the same offset after the gap
 * (02:30 becomes 03:30); a local time that occurs twice in an autumn overlap fires once, at its
 * first occurrence. So every wall-clock slot fires exactly once: no double run, no missed run.
 */
public final class CronSchedule implements Schedule {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  static final Duration LONGEST_GAP = Duration.ofDays(366 * 30);
  private final String text;
  private final ZoneId zone;
  private final CronExpression expression;

  private CronSchedule(String text, ZoneId zone, CronExpression expression) {
    this.text = text;
    this.zone = zone;
    this.expression = expression;
  }

  /**
   * Parses a standard cron expression: five fields (minute hour day-of-month month day-of-week)
   * or six with seconds first. Day-of-week counts 0 or 7 as Sunday, as in crontab.
   */
  public static CronSchedule parse(String text, ZoneId zone) {
    try {
      CronExpression e = new CronExpression(CronTranslation.toQuartz(text));
      e.setTimeZone(UTC);
      return new CronSchedule(text.strip(), zone, e);
    } catch (InvalidScheduleException e) {
      throw e;
    } catch (ParseException | RuntimeException e) {
      // Quartz's parser also fails with unchecked exceptions on odd lists such as "1 , *".
      throw new InvalidScheduleException("bad cron expression '" + text + "': "
          + (e instanceof ParseException ? e.getMessage() : "a field is malformed (" + e.getClass().getSimpleName() + ")"));
    }
  }

  @Override
  public Optional<Instant> next(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int guard = 0; guard < 10_000; guard++) {
      Date next = expression.getNextValidTimeAfter(Date.from(local.toInstant(ZoneOffset.UTC)));
      if (next == null) {
        return Optional.empty();
      }
      local = LocalDateTime.ofInstant(next.toInstant(), ZoneOffset.UTC);
      Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /**
   * Searches backward in windows that double from one minute: the last fire time of the first
   * window before {@code before} that has one. Every cron schedule fires within a window of
   * {@link #LONGEST_GAP} (the rarest, a 29th of February on a given weekday, every 28 years).
   */
  @Override
  public Optional<Instant> previous(Instant before) {
    for (Duration window = Duration.ofMinutes(1); window.compareTo(LONGEST_GAP) <= 0; window = window.multipliedBy(2)) {
      Instant from = before.minus(window);
      Optional<Instant> last = Optional.empty();
      for (Optional<Instant> slot = nextAtOrAfter(from); slot.isPresent() && slot.get().isBefore(before);
          slot = next(slot.get())) {
        last = slot;
      }
      if (last.isPresent()) {
        return last;
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<Instant> first(Instant now) {
    return nextAtOrAfter(now);
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return "cron '" + text + "' in " + zone;
  }
}
