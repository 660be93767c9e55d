package io.trellis.jobs.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An ISO 8601 repeating interval, {@code R[n]/<start>/<period>}: fire at the start and every
 * period after it, {@code n} times in all ({@code R} alone repeats forever).
 * A period with date parts ({@code P1D}, {@code P1M}) is a calendar period in the schedule's
 * time zone, so {@code P1D} keeps the local time of day across daylight-saving changes; a period
 * of time parts only ({@code PT2H}) is elapsed time.
 *
 * @param repeats how many fire times in all, or {@code -1} for no limit
 */
public record IsoSchedule(long repeats, ZonedDateTime start, Period period, Duration duration)
    implements Schedule {
  public static final String FORM = "R[n]/<start>/<period>, e.g. R/2026-01-01T02:00:00Z/P1D or R5//PT2H";

  /** Starts outside these years are typing errors, and would overflow the arithmetic of slots. */
  static final int MIN_YEAR = 1900;
  static final int MAX_YEAR = 9999;
  /** The longest period: a century. */
  static final Duration MAX_PERIOD = Duration.ofDays(36_525);

  public IsoSchedule {
    if (start.getYear() < MIN_YEAR || start.getYear() > MAX_YEAR) {
      throw new InvalidScheduleException("the start " + start.toOffsetDateTime() + " is outside the years "
          + MIN_YEAR + " to " + MAX_YEAR);
    }
    if (period.toTotalMonths() > 1200 || period.getDays() > MAX_PERIOD.toDays()
        || duration.compareTo(MAX_PERIOD) > 0) {
      throw new InvalidScheduleException("the period of a repeating schedule must be at most a century");
    }
    if (period.isZero() && duration.isZero()) {
      throw new InvalidScheduleException("the period of a repeating schedule must be longer than zero");
    }
    if (period.isNegative() || duration.isNegative()) {
      throw new InvalidScheduleException("the period of a repeating schedule must be positive");
    }
    if (period.isZero() && duration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidScheduleException("the period " + duration + " is shorter than one second");
    }
  }

  /**
   * Parses {@code text}; an empty start means {@code now}. The zone is the schedule time zone:
   * it places calendar periods and a start given without an offset.
   */
  public static IsoSchedule parse(String text, ZoneId zone, Instant now) {
    String[] parts = text.strip().split("/", -1);
    if (parts.length != 3) {
      throw new InvalidScheduleException("bad schedule '" + text + "': expected " + FORM);
    }
    long repeats = repeats(text, parts[0]);
    // Slots are kept to the millisecond: a finer start would make a slot and its record differ.
    ZonedDateTime start = (parts[1].isEmpty() ? now.atZone(zone) : start(text, parts[1], zone))
        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    String p = parts[2].toUpperCase(java.util.Locale.ROOT);
    if (!p.startsWith("P") || p.length() < 2) {
      throw new InvalidScheduleException("bad period '" + parts[2] + "' in schedule '" + text
          + "': expected an ISO 8601 duration such as PT30M, P1D or P1DT12H");
    }
    int t = p.indexOf('T');
    String datePart = t < 0 ? p : p.substring(0, t);
    String timePart = t < 0 ? "" : p.substring(t);
    try {
      Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
      Duration duration = timePart.isEmpty() ? Duration.ZERO : Duration.parse("P" + timePart);
      if (timePart.equals("T")) {
        throw new DateTimeParseException("empty time part", p, t);
      }
      return new IsoSchedule(repeats, start, period, duration);
    } catch (DateTimeParseException e) {
      throw new InvalidScheduleException("bad period '" + parts[2] + "' in schedule '" + text
          + "': expected an ISO 8601 duration such as PT30M, P1D or P1DT12H");
    }
  }

  private static long repeats(String text, String r) {
    if (!r.startsWith("R")) {
      throw new InvalidScheduleException("bad schedule '" + text + "': expected " + FORM);
    }
    if (r.length() == 1) {
      return -1;
    }
    try {
      String digits = r.substring(1);
      if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new NumberFormatException(digits);
      }
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new InvalidScheduleException("bad repeat count '" + r + "' in schedule '" + text
          + "': expected R (forever) or Rn with n >= 0");
    }
  }

  private static ZonedDateTime start(String text, String s, ZoneId zone) {
    try {
      return ZonedDateTime.parse(s, DateTimeFormatter.ISO_ZONED_DATE_TIME).withZoneSameInstant(zone);
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(s).atZone(zone);
      } catch (DateTimeParseException e2) {
        throw new InvalidScheduleException("bad start '" + s + "' in schedule '" + text
            + "': expected an ISO 8601 date-time such as 2026-01-01T02:00:00Z");
      }
    }
  }

  /** The k-th fire time (0 is the start). */
  Instant at(long k) {
    ZonedDateTime t = start;
    if (!period.isZero()) {
      t = t.plus(period.multipliedBy(Math.toIntExact(k)));
    }
    if (!duration.isZero()) {
      t = t.plus(duration.multipliedBy(k));
    }
    return t.toInstant();
  }

  @Override
  public Optional<Instant> next(Instant after) {
    long k = indexAfter(after);
    return repeats >= 0 && k >= repeats ? Optional.empty() : Optional.of(at(k));
  }

  @Override
  public Optional<Instant> previous(Instant before) {
    long k = indexAfter(before.minusNanos(1)) - 1;
    if (repeats >= 0) {
      k = Math.min(k, repeats - 1);
    }
    return k < 0 ? Optional.empty() : Optional.of(at(k));
  }

  /** By arithmetic: the number of fire times at or after {@code from} and before {@code to}. */
  @Override
  public long count(Instant from, Instant to, long limit) {
    long end = indexAfter(to.minusNanos(1));
    if (repeats >= 0) {
      end = Math.min(end, repeats);
    }
    return Math.min(limit, Math.max(0, end - indexAfter(from.minusNanos(1))));
  }

  /** The index of the first fire time strictly after {@code after}, ignoring the repeat count. */
  private long indexAfter(Instant after) {
    Instant first = start.toInstant();
    if (after.isBefore(first)) {
      return 0;
    }
    long k = Math.max(0, Duration.between(first, after).toMillis() / approximateMillis() - 1);
    while (k > 0 && at(k).isAfter(after)) {
      k--;
    }
    while (!at(k).isAfter(after)) {
      k++;
    }
    return k;
  }

  /** A lower bound of the period, so the estimate of an index is never too small by more than one. */
  private long approximateMillis() {
    long days = period.toTotalMonths() * 28 + period.getDays();
    // A calendar day can be an hour short across a daylight-saving change.
    long calendar = days == 0 ? 0 : days * 86_400_000L - 3_600_000L;
    return Math.max(1, calendar + duration.toMillis());
  }

  @Override
  public Optional<Instant> first(Instant now) {
    return repeats == 0 ? Optional.empty() : Optional.of(start.toInstant());
  }

  @Override
  public String text() {
    String p = (period.isZero() ? "P" : period.toString()) + (duration.isZero() ? "" : duration.toString().substring(1));
    return (repeats < 0 ? "R" : "R" + repeats) + "/" + start.toOffsetDateTime() + "/" + p;
  }
}
