package io.trellis.security.policy;

import io.trellis.security.Action;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The container and task policy: what a task, app or job asks of the host, field by field, and
 * whether the caller may have it. A privileged container, a host-path volume (the Docker socket
 * among them), the host's network or PID namespace, an added capability, a raw Docker parameter
 * and a task user each need their {@link Action} granted; the API refuses them (403 naming the
 * field and the grant) before anything is stored or launched, rather than an agent refusing
 * them at every launch.
 *
 * <p>Each caller describes its own definition format through one {@link ContainerPolicy}: {@code
 * new ContainerPolicy("/web").privileged("$.container.docker.privileged", true)...}, then asks
 * for {@link #refusals}.
 */
public final class ContainerPolicy {
  /** Docker parameters (without dashes) that mount host paths. */
  private static final Set<String> MOUNTS = Set.of("volume", "v", "mount", "volumes-from", "device");
  /** Docker parameters whose value {@code host} shares a host namespace. */
  private static final Set<String> NAMESPACES = Set.of("net", "network", "pid", "ipc", "uts", "userns", "cgroupns");
  /** Docker parameters that loosen the container's confinement as much as privileged mode. */
  private static final Set<String> PRIVILEGING = Set.of("privileged", "security-opt", "cap-drop-all");

  private final String subject;
  private final List<Need> needs = new ArrayList<>();

  /** @param subject the app id, job name or task id that privileged mode is granted on */
  public ContainerPolicy(String subject) {
    this.subject = subject == null ? "" : subject;
  }

  /** The task runs as {@code user}: any user named needs {@link Action#RUN_TASKS} on it. */
  public ContainerPolicy user(String path, String user) {
    if (user != null && !user.isBlank()) {
      needs.add(Need.grant(path, Action.RUN_TASKS, user.trim()));
    }
    return this;
  }

  public ContainerPolicy privileged(String path, Boolean privileged) {
    if (Boolean.TRUE.equals(privileged)) {
      needs.add(Need.grant(path, Action.PRIVILEGED_CONTAINER, subject));
    }
    return this;
  }

  /** A Docker network mode: {@code HOST} shares the host's network namespace. */
  public ContainerPolicy network(String path, String network) {
    if (network != null && network.trim().equalsIgnoreCase("host")) {
      needs.add(Need.grant(path, Action.HOST_NAMESPACE, "network"));
    }
    return this;
  }

  /** A host path mounted into the container or task; a relative path stays in the sandbox. */
  public ContainerPolicy volume(String path, String hostPath) {
    if (hostPath == null || hostPath.isBlank()) {
      return this;
    }
    String p = hostPath.trim();
    if (p.contains("..") || p.indexOf('\0') >= 0) {
      needs.add(Need.refused(path, "'" + shorten(p) + "' is not a plain path ('..' is not allowed): give the"
          + " absolute host path"));
    } else if (p.startsWith("/") || p.contains("docker.sock")) {
      needs.add(Need.grant(path, Action.HOST_VOLUME, Path.of(p).normalize().toString()));
    }
    return this;
  }

  /** An added Linux capability. */
  public ContainerPolicy capability(String path, String capability) {
    if (capability != null && !capability.isBlank()) {
      String cap = capability.trim().toUpperCase(Locale.ROOT);
      needs.add(Need.grant(path, Action.ADD_CAPABILITY, cap.startsWith("CAP_") ? cap.substring(4) : cap));
    }
    return this;
  }

  /**
   * A raw Docker parameter ({@code docker run --key=value}): it needs {@link
   * Action#DOCKER_PARAMETER} on its key, and whatever else it asks of the host (a mount, a host
   * namespace, a capability, privileges, a user).
   */
  public ContainerPolicy parameter(String path, String key, String value) {
    String k = key == null ? "" : key.trim().replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    String v = value == null ? "" : value.trim();
    if (k.isEmpty()) {
      needs.add(Need.refused(path, "a Docker parameter needs a key"));
      return this;
    }
    needs.add(Need.grant(path, Action.DOCKER_PARAMETER, k));
    if (MOUNTS.contains(k)) {
      volume(path, mountSource(v));
    } else if (NAMESPACES.contains(k) && v.toLowerCase(Locale.ROOT).startsWith("host")) {
      needs.add(Need.grant(path, Action.HOST_NAMESPACE, k.equals("net") ? "network" : k));
    } else if (k.equals("cap-add")) {
      capability(path, v);
    } else if (PRIVILEGING.contains(k) && !v.equalsIgnoreCase("false")) {
      needs.add(Need.grant(path, Action.PRIVILEGED_CONTAINER, subject));
    } else if (k.equals("user") || k.equals("u")) {
      user(path, v.contains(":") ? v.substring(0, v.indexOf(':')) : v);
    }
    if (v.contains("docker.sock") && !MOUNTS.contains(k)) {
      needs.add(Need.grant(path, Action.HOST_VOLUME, "docker.sock"));
    }
    return this;
  }

  /** The host side of {@code -v src:dst[:mode]} or {@code --mount type=bind,source=src,...}. */
  private static String mountSource(String value) {
    for (String part : value.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length == 2 && Set.of("source", "src").contains(kv[0].trim())) {
        return kv[1].trim();
      }
    }
    if (value.contains("=")) {
      return value.contains("docker.sock") ? value : null;
    }
    int colon = value.indexOf(':');
    return colon < 0 ? (value.startsWith("/") ? value : null) : value.substring(0, colon);
  }

  /** What the definition asks for, field by field, in the order described. */
  public List<Need> needs() {
    return List.copyOf(needs);
  }

  /** Asks whether the caller may take an action on an object. */
  @FunctionalInterface
  public interface Grants {
    Decision decide(Action action, String object);
  }

  /**
   * The fields refused for a caller: every value refused outright, and every need whose grant
   * {@code grants} denies (the 403's message names the principal, the action, the object and the
   * rule that refused).
   *
   * @param principal the caller, for messages; {@code null} without security
   */
  public List<Refusal> refusals(Principal principal, Grants grants) {
    List<Refusal> out = new ArrayList<>();
    for (Need n : needs) {
      if (n.refusal() != null) {
        out.add(new Refusal(422, n.path(), n.refusal()));
        continue;
      }
      Decision d = grants.decide(n.action(), n.object());
      if (!d.allowed()) {
        out.add(new Refusal(403, n.path(), io.trellis.security.auth.ServerSecurity.refusal(
            principal == null ? new Principal("the caller") : principal, n.action(), n.object(), d)
            + "; a rule granting " + n.action().key() + " on '" + n.object() + "' allows it"));
      }
    }
    return out;
  }

  /** The status of an answer refusing {@code refusals}: 422 when any is refused outright, else 403. */
  public static int status(List<Refusal> refusals) {
    return refusals.stream().anyMatch(r -> r.status() == 422) ? 422 : 403;
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
