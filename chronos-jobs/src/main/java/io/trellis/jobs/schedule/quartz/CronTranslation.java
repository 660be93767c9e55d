package io.trellis.jobs.schedule.quartz;

import io.trellis.jobs.schedule.InvalidScheduleException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a crontab expression into Quartz's seven-field form. */
final class CronTranslation {
  static final String FORM = "five fields 'minute hour day-of-month month day-of-week' (or six with seconds first),"
      + " e.g. '0 */5 * * *'";
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private CronTranslation() {}

  static String toQuartz(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidScheduleException("empty cron expression: expected " + FORM);
    }
    String[] f = text.strip().split("\\s+");
    if (f.length != 5 && f.length != 6) {
      throw new InvalidScheduleException("bad cron expression '" + text + "': it has " + f.length
          + " fields; expected " + FORM);
    }
    String seconds = f.length == 6 ? f[0] : "0";
    int o = f.length == 6 ? 1 : 0;
    String minute = f[o];
    String hour = f[o + 1];
    String dom = f[o + 2];
    String month = f[o + 3];
    String dow = f[o + 4];
    range(text, "second", seconds, 0, 59);
    range(text, "minute", minute, 0, 59);
    range(text, "hour", hour, 0, 23);
    range(text, "day-of-month", dom, 1, 31);
    range(text, "month", month, 1, 12);
    range(text, "day-of-week", dow.replaceAll("#\\d+", ""), 0, 7);
    if (dom.contains("?") || dow.contains("?")) {
      throw new InvalidScheduleException("bad cron expression '" + text + "': '?' is not crontab syntax; use '*'");
    }
    boolean anyDom = dom.equals("*");
    boolean anyDow = dow.equals("*");
    if (!anyDom && !anyDow) {
      throw new InvalidScheduleException("bad cron expression '" + text
          + "': restrict day-of-month or day-of-week, not both");
    }
    String quartzDow = anyDow ? "?" : dayOfWeek(text, dow);
    String quartzDom = anyDow ? dom : "?";
    return String.join(" ", seconds, minute, hour, quartzDom, month, quartzDow);
  }

  /**
   * Every number of a field within the field's range, and every step from 1 to its top: Quartz
   * itself lets some through (a minute of 99 fires every minute).
   */
  private static void range(String text, String name, String field, int min, int max) {
    for (String part : field.split(",", -1)) {
      String[] stepped = part.split("/", 2);
      if (stepped[0].isEmpty() || stepped[0].startsWith("-") || stepped[0].endsWith("-")) {
        // Quartz takes "1,,2" or "1-" and then fails to find any time, with an unchecked exception.
        throw new InvalidScheduleException("bad cron expression '" + text + "': " + name + " '" + field
            + "' has an empty list element or an open range");
      }
      Matcher m = NUMBER.matcher(stepped[0]);
      while (m.find()) {
        if (m.group().length() > 2 || Integer.parseInt(m.group()) < min || Integer.parseInt(m.group()) > max) {
          throw new InvalidScheduleException("bad cron expression '" + text + "': " + name + " " + m.group()
              + " is out of range " + min + "-" + max);
        }
      }
      if (stepped.length == 2 && (!NUMBER.matcher(stepped[1]).matches() || stepped[1].length() > 2
          || Integer.parseInt(stepped[1]) < 1 || Integer.parseInt(stepped[1]) > max)) {
        throw new InvalidScheduleException("bad cron expression '" + text + "': " + name + " step '" + stepped[1]
            + "' is not a number from 1 to " + max);
      }
    }
  }

  /** Crontab numbers Sunday 0 (or 7) to Saturday 6; Quartz numbers Sunday 1 to Saturday 7. */
  private static String dayOfWeek(String text, String dow) {
    if (dow.contains("/")) {
      String[] parts = dow.split("/", 2);
      return shift(text, parts[0]) + "/" + parts[1];
    }
    return shift(text, dow);
  }

  private static String shift(String text, String field) {
    Matcher m = NUMBER.matcher(field);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int n = Integer.parseInt(m.group());
      if (n > 7) {
        throw new InvalidScheduleException("bad cron expression '" + text + "': day-of-week " + n
            + " is out of range 0-7");
      }
      m.appendReplacement(out, Integer.toString(n % 7 + 1));
    }
    m.appendTail(out);
    return out.toString();
  }
}
