package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host programs the process containerizer relies on, found once on the agent's {@code PATH}:
 * {@code setsid}, {@code setpriv} and {@code runuser} (util-linux), {@code kill} and {@code id}.
 */
final class HostTools {
  private static final Logger LOG = LoggerFactory.getLogger(HostTools.class);
  static final String SHELL = "/bin/sh";
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final String path;
  private final Optional<Path> setsid;
  private final Optional<Path> runuser;
  private final Optional<Path> setpriv;
  private final Optional<Path> kill;
  private final Optional<Path> id;

  HostTools(String path) {
    this.path = path == null || path.isBlank() ? DEFAULT_PATH : path;
    this.setsid = find("setsid", this.path, null);
    this.runuser = find("runuser", this.path, null);
    this.setpriv = find("setpriv", this.path, null);
    this.kill = find("kill", this.path, null);
    this.id = find("id", this.path, null);
  }

  /** The agent's {@code PATH}, which tasks inherit. */
  String path() {
    return path;
  }

  Path setsid() throws ContainerException {
    return setsid.orElseThrow(() -> missing("setsid"));
  }

  Path runuser() throws ContainerException {
    return runuser.orElseThrow(() -> missing("runuser"));
  }

  Path setpriv() throws ContainerException {
    return setpriv.orElseThrow(() -> missing("setpriv"));
  }

  private ContainerException missing(String tool) {
    return new ContainerException(tool + " was not found on the agent's PATH (" + path
        + "); install util-linux, which provides it, and restart the agent");
  }

  /**
   * Finds an executable: a name with a '/' is taken as a path (relative to {@code dir}), any
   * other name is looked up in {@code searchPath}.
   */
  static Optional<Path> find(String name, String searchPath, Path dir) {
    if (name.contains("/")) {
      Path file = dir == null ? Path.of(name) : dir.resolve(name);
      return isExecutable(file) ? Optional.of(file) : Optional.empty();
    }
    for (String entry : searchPath.split(":")) {
      Path file = Path.of(entry.isEmpty() ? "." : entry).resolve(name);
      if (!file.isAbsolute() && dir != null) {
        file = dir.resolve(file);
      }
      if (isExecutable(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  /** Sends {@code signal} (such as TERM or KILL) to every process of group {@code pgid}. */
  void signalGroup(long pgid, String signal) {
    run(List.of(kill.map(Path::toString).orElse("kill"), "-s", signal, "--", "-" + pgid));
  }

  /** Whether the user is known to this host (through NSS, like {@code id} sees it). */
  boolean userExists(String user) {
    return run(List.of(id.map(Path::toString).orElse("id"), "-u", "--", user));
  }

  /** The user's primary group id, as {@code id -g} sees it, or empty if the user is unknown. */
  Optional<String> primaryGroup(String user) {
    return output(List.of(id.map(Path::toString).orElse("id"), "-g", "--", user));
  }

  /** Whether {@code user} may enter {@code dir} (every directory on the way to it), checked as that user. */
  boolean mayEnter(String user, Path dir) {
    return run(List.of(runuser.map(Path::toString).orElse("runuser"), "-u", user, "--", "test", "-x",
        dir.toAbsolutePath().toString()));
  }

  private static Optional<String> output(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("cannot run {}: {}", command, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        LOG.warn("{} did not finish within 10 s; killed it", command);
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      LOG.warn("cannot run {}: {}", command, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the agent runs with effective uid 0 (and so may switch users). */
  static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).trim().split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read /proc/self/status: {}", e.toString());
    }
    return false;
  }
}
