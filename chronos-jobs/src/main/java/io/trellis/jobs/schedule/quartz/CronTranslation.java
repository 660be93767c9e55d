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
