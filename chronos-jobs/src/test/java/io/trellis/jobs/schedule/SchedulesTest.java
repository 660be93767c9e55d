package io.trellis.jobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing and fire times of ISO 8601 repeating intervals and cron expressions. */
class SchedulesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static List<Instant> first(Schedule s, int n) {
    List<Instant> out = new ArrayList<>();
    Optional<Instant> t = s.first(NOW);
    while (t.isPresent() && out.size() < n) {
      out.add(t.get());
      t = s.next(t.get());
    }
    return out;
  }

  /** Found by the fuzzing run: Quartz fails on an empty list element with an unchecked exception. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"cron: 0 3 1 , *", "cron: , * * * *", "cron: 0 0 1,,2 * *",
      "cron: 0 0 * * 1-", "cron: 0 0 * * -"})
  void malformedCronListsAreInvalidSchedules(String schedule) {
    io.trellis.jobs.schedule.InvalidScheduleException e = assertThrows(io.trellis.jobs.schedule.InvalidScheduleException.class,
        () -> Schedules.parse(schedule, null, NOW));
    assertTrue(e.getMessage().startsWith("bad cron expression"), e.getMessage());
  }

  @Test
  void aDailyPeriodKeepsTheLocalTimeAcrossDaylightSaving() {
    Schedule s = Schedules.parse("R/2026-03-28T02:30:00/P1D", "Europe/Berlin", NOW);
    List<Instant> fired = first(s, 3);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertEquals("02:30", ZonedDateTime.ofInstant(fired.get(0), berlin).toLocalTime().toString());
    assertEquals("03:30", ZonedDateTime.ofInstant(fired.get(1), berlin).toLocalTime().toString(), "02:30 does not exist on the 29th");
    assertEquals("02:30", ZonedDateTime.ofInstant(fired.get(2), berlin).toLocalTime().toString());
  }

  @Test
  void anElapsedPeriodIgnoresDaylightSaving() {
    Schedule s = Schedules.parse("R/2026-03-29T00:00:00Z/PT2H", "Europe/Berlin", NOW);
    List<Instant> fired = first(s, 3);
    assertEquals(List.of(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"),
        Instant.parse("2026-03-29T04:00:00Z")), fired);
  }

  @Test
  void monthsRepeatCountsAndNextAfterAnyInstant() {
    Schedule s = Schedules.parse("R3/2026-01-31T00:00:00Z/P1M", null, NOW);
    assertEquals(List.of(Instant.parse("2026-01-31T00:00:00Z"), Instant.parse("2026-02-28T00:00:00Z"),
        Instant.parse("2026-03-31T00:00:00Z")), first(s, 10));
    assertEquals(Optional.of(Instant.parse("2026-03-31T00:00:00Z")), s.next(Instant.parse("2026-03-01T00:00:00Z")));
    assertEquals(Optional.empty(), s.next(Instant.parse("2026-03-31T00:00:00Z")));
    Schedule minutes = Schedules.parse("R/2020-01-01T00:00:00Z/PT1M", null, NOW);
    assertEquals(Optional.of(Instant.parse("2026-01-01T00:01:00Z")), minutes.next(NOW));
    assertTrue(Schedules.parse("R0/2026-01-01T00:00:00Z/PT1M", null, NOW).first(NOW).isEmpty());
  }

  @Test
  void cronDaysOfWeekCountSundayAsZeroOrSeven() {
    Schedule sundays = Schedules.parse("cron: 0 12 * * 0", "UTC", NOW);
    Schedule alsoSundays = Schedules.parse("cron: 0 12 * * 7", "UTC", NOW);
    Instant first = sundays.first(NOW).orElseThrow();
    assertEquals(Instant.parse("2026-01-04T12:00:00Z"), first, "2026-01-04 is a Sunday");
    assertEquals(first, alsoSundays.first(NOW).orElseThrow());
    assertEquals(Instant.parse("2026-01-02T12:00:00Z"), Schedules.parse("cron: 0 12 * * 1-5", "UTC", NOW)
        .next(Instant.parse("2026-01-01T12:00:00Z")).orElseThrow(), "weekdays: Friday the 2nd");
  }

  @Test
  void badSchedulesNameTheValueAndTheExpectedForm() {
    assertEquals("bad schedule 'every day': expected " + IsoSchedule.FORM,
        assertThrows(InvalidScheduleException.class, () -> Schedules.parse("every day", null, NOW)).getMessage());
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("R/2026-01-01T00:00:00Z/P", null, NOW))
        .getMessage().contains("bad period 'P'"));
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("Rx/2026-01-01T00:00:00Z/PT1M", null, NOW))
        .getMessage().contains("bad repeat count 'Rx'"));
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("R//PT0.5S", null, NOW))
        .getMessage().contains("shorter than one second"));
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("cron: * * *", null, NOW))
        .getMessage().contains("it has 3 fields"));
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("cron: 0 0 1 * 1", null, NOW))
        .getMessage().contains("not both"));
    assertTrue(assertThrows(InvalidScheduleException.class, () -> Schedules.parse("R//PT1M", "Mars/Base", NOW))
        .getMessage().contains("unknown time zone 'Mars/Base'"));
  }

  private static String refused(String schedule) {
    return assertThrows(InvalidScheduleException.class, () -> Schedules.parse(schedule, null, NOW)).getMessage();
  }

  @Test
  void negativeRepeatCountsAreRefusedNotTakenAsForever() {
    assertTrue(refused("R-1//PT1H").contains("bad repeat count 'R-1'"), refused("R-1//PT1H"));
    assertTrue(refused("R+5//PT1H").contains("bad repeat count 'R+5'"));
    assertTrue(refused("R99999999999999999999//PT1H").contains("bad repeat count"));
  }

  @Test
  void cronNumbersOutsideTheirFieldsAreRefused() {
    assertTrue(refused("cron: 99 * * * *").contains("minute 99 is out of range 0-59"), refused("cron: 99 * * * *"));
    assertTrue(refused("cron: 0 24 * * *").contains("hour 24 is out of range 0-23"));
    assertTrue(refused("cron: 0 0 32 * *").contains("day-of-month 32"));
    assertTrue(refused("cron: 0 0 0 * *").contains("day-of-month 0"));
    assertTrue(refused("cron: 0 0 * 13 *").contains("month 13"));
    assertTrue(refused("cron: 5-70 * * * *").contains("minute 70"));
    assertTrue(refused("cron: */0 * * * *").contains("minute step '0'"));
    assertTrue(refused("cron: 61 * * * * *").contains("second 61"));
    assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:15:00Z")),
        first(Schedules.parse("cron: */15 * * * *", null, NOW), 2), "valid steps still work");
    assertEquals(List.of(Instant.parse("2026-01-06T09:00:00Z")),
        first(Schedules.parse("cron: 0 9 * JAN TUE", null, NOW), 1), "names still work");
  }

  @Test
  void startsAndPeriodsBeyondAnyCalendarAreRefused() {
    assertTrue(refused("R/+999999999-01-01T00:00:00Z/PT1H").contains("outside the years"), refused("R/+999999999-01-01T00:00:00Z/PT1H"));
    assertTrue(refused("R/2026-01-01T00:00:00Z/P5000Y").contains("at most a century"));
    assertTrue(refused("R/2026-01-01T00:00:00Z/PT9999999H").contains("at most a century"));
  }

  @Test
  void previousAndCountFindSlotsWithoutWalkingFromTheStart() {
    Schedule iso = Schedules.parse("R/2000-01-01T00:00:00Z/PT1S", null, NOW);
    assertEquals(Optional.of(Instant.parse("2025-12-31T23:59:59Z")), iso.previous(NOW));
    assertEquals(Optional.empty(), iso.previous(Instant.parse("2000-01-01T00:00:00Z")));
    assertEquals(java.time.Duration.between(Instant.parse("2000-01-01T00:00:00Z"), NOW).getSeconds(),
        iso.count(Instant.parse("1999-01-01T00:00:00Z"), NOW, Long.MAX_VALUE));
    Schedule r3 = Schedules.parse("R3/2025-01-01T00:00:00Z/P1D", null, NOW);
    assertEquals(Optional.of(Instant.parse("2025-01-03T00:00:00Z")), r3.previous(NOW));
    assertEquals(3, r3.count(Instant.parse("2024-01-01T00:00:00Z"), NOW, Long.MAX_VALUE));
    Schedule leap = Schedules.parse("cron: 0 12 29 2 *", null, NOW);
    assertEquals(Optional.of(Instant.parse("2024-02-29T12:00:00Z")), leap.previous(NOW));
    Schedule berlin = Schedules.parse("cron: 30 2 * * *", "Europe/Berlin", NOW);
    // 02:30 does not exist on 2026-03-29 in Berlin: that slot fires at 03:30 local, 01:30 UTC.
    assertEquals(Optional.of(Instant.parse("2026-03-29T01:30:00Z")), berlin.previous(Instant.parse("2026-03-29T12:00:00Z")));
  }
}
