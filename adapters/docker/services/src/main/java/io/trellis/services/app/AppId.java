package io.trellis.services.app;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/** App ids are paths ({@code /group/app}); groups are their prefixes. */
public final class AppId {
  /**
   * The longest app or group id. Task ids are the id plus 37 characters, and agents name a
   * directory after each task: with this limit every task id stays well within the 255
   * characters a file name may have.
   */
  public static final int MAX_LENGTH = 200;
  private static final Pattern SEGMENT = Pattern.compile("^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$");

  private AppId() {}

  /** {@code app} becomes {@code /app}; trailing slashes go. */
  public static String absolute(String id) {
    if (id == null) {
      return null;
    }
    String s = id.trim();
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.startsWith("/") ? s : "/" + s;
  }

  /** A dependency relative to the app's group ({@code ../db}, {@code db}) made absolute. */
  public static String resolve(String appId, String dependency) {
    if (dependency == null || dependency.startsWith("/")) {
      return absolute(dependency);
    }
    Deque<String> parts = new ArrayDeque<>();
    String group = appId == null ? "/" : appId.substring(0, Math.max(1, appId.lastIndexOf('/')));
    for (String p : group.split("/")) {
      if (!p.isEmpty()) {
        parts.addLast(p);
      }
    }
    for (String p : dependency.split("/")) {
      if (p.equals("..")) {
        parts.pollLast();
      } else if (!p.isEmpty() && !p.equals(".")) {
        parts.addLast(p);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** A message saying what is wrong with the id, or null when it is valid. */
  public static String problem(String id) {
    if (id == null || id.isBlank()) {
      return "is required";
    }
    if (id.length() > MAX_LENGTH) {
      return "is " + id.length() + " characters long, more than " + MAX_LENGTH;
    }
    String abs = absolute(id);
    if (abs.equals("/")) {
      return "must name an app, not the root group";
    }
    for (String seg : abs.substring(1).split("/", -1)) {
      if (!SEGMENT.matcher(seg).matches()) {
        return "'" + id + "' is not a valid path: each segment must be lower-case letters, digits,"
            + " dashes and dots, starting and ending with a letter or digit";
      }
    }
    return null;
  }

  /** A znode name for the id. */
  public static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  public static String decode(String name) {
    return URLDecoder.decode(name, StandardCharsets.UTF_8);
  }

  /**
   * The prefix of an app's task ids: {@code /group/app} gives {@code group_app}. Ids stored
   * before ids were limited are cut to {@link #MAX_LENGTH} (the app of a task is stored with it,
   * never read from its id).
   */
  public static String taskPrefix(String id) {
    String prefix = id.substring(1).replace('/', '_');
    return prefix.length() > MAX_LENGTH ? prefix.substring(0, MAX_LENGTH) : prefix;
  }
}
