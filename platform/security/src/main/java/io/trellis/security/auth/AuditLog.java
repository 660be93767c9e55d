package io.trellis.security.auth;

import io.trellis.security.Action;
import io.trellis.security.Decision;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per mutating call on the logger {@code trellis.audit}, so operators can route it to a
 * file of its own: when, which server, who (the principal's name, never a credential), what
 * (method, path, and each access decision the call asked for with its object) and the result
 * status. The calls agents and masters make to each other many times a second (heartbeats,
 * status updates, acknowledgements) and what an endpoint marks routine (a framework's declines,
 * acknowledgements, revives) are logged at DEBUG, everything else at INFO.
 */
public final class AuditLog {
  /** The logger's name. */
  public static final String LOGGER = "trellis.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_VALUE = 200;
  private static final List<String> ROUTINE = List.of("/internal/agents/heartbeat", "/internal/agents/update",
      "/internal/agents/updates", "/internal/tasks/acknowledge", "/internal/tasks/acknowledgements");
  private final InstantSource clock;

  public AuditLog(InstantSource clock) {
    this.clock = clock;
  }

  /** A decision an endpoint asked for while serving a call. */
  record Asked(Action action, String object, Decision decision) {}

  void record(String server, String principal, String method, String path, int status, List<Asked> asked,
      boolean marked, Object detail) {
    boolean routine = marked || ROUTINE.contains(path);
    if (routine ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
      return;
    }
    StringBuilder line = new StringBuilder(160).append("at=").append(clock.instant()).append(" server=").append(server)
        .append(" principal=").append(clean(principal)).append(" call=\"").append(method).append(' ')
        .append(clean(path)).append(detail == null ? "" : " " + clean(detail.toString())).append('"');
    for (Asked a : asked) {
      line.append(' ').append(a.action().key()).append("=\"").append(clean(a.object())).append('"')
          .append(a.decision().allowed() ? ":allowed" : ":refused");
    }
    line.append(" status=").append(status);
    if (routine) {
      log.debug("{}", line);
    } else {
      log.info("{}", line);
    }
  }

  /** Control characters and quotes escaped (a value cannot forge a line or a field), long values cut. */
  static String clean(String value) {
    if (value == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_VALUE + 8));
    for (int i = 0; i < value.length() && out.length() < MAX_VALUE; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > out.length() && out.length() >= MAX_VALUE) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
