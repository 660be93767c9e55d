package io.trellis.faults.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One server process of the rig (a ZooKeeper member, a master, an agent, a services or jobs
 * instance), run on its host's namespace from the install. Faults act on its pid as an operator's
 * {@code kill} would: {@link #kill9}, {@link #pause} (SIGSTOP), {@link #resume} (SIGCONT); {@link
 * #start} again runs the same command line with the same data directory.
 */
public final class Node {
  private final String name;
  private final Role role;
  private final Host host;
  private final List<String> argv;
  private final Map<String, String> env;
  private final Path log;
  private Process process;
  private long logOffset;

  Node(String name, Role role, Host host, List<String> argv, Map<String, String> env, Path log) {
    this.name = name;
    this.role = role;
    this.host = host;
    this.argv = List.copyOf(argv);
    this.env = new TreeMap<>(env);
    this.log = log;
  }

  public enum Role { ZOOKEEPER, MASTER, AGENT, SERVICES, JOBS }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  public Host host() {
    return host;
  }

  public Path log() {
    return log;
  }

  /** Sets a variable of the environment the next {@link #start} gives the process. */
  public synchronized void setEnv(String name, String value) {
    env.put(name, value);
  }

  /** Starts the process (again); the log file keeps what earlier runs wrote. */
  public synchronized void start() {
    if (alive()) {
      throw new IllegalStateException(name + " is already running as pid " + process.pid());
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    full.addAll(argv);
    try {
      Files.createDirectories(log.getParent());
      logOffset = Files.exists(log) ? Files.size(log) : 0;
      Files.writeString(log, "---- " + Instant.now() + " start " + String.join(" ", argv) + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      process = pb.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new IllegalStateException(name + " could not start: " + e.getMessage(), e);
    }
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.pid();
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill9() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + name, e);
    }
  }

  /** SIGSTOP: the process stays, frozen, its sockets open. */
  public void pause() {
    Shell.run("kill", "-STOP", Long.toString(pid()));
  }

  /** SIGCONT. */
  public void resume() {
    Shell.run("kill", "-CONT", Long.toString(pid()));
  }

  /** SIGTERM, and waits up to {@code grace} before SIGKILL. */
  public void stop(Duration grace) {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null || !p.isAlive()) {
      return;
    }
    Shell.attempt("kill", "-CONT", Long.toString(p.pid()));
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        kill9();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill9();
    }
  }

  /** What this run of the process has written so far. */
  public String output() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logOffset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until this run's output contains {@code text}; fails early when the process exits. */
  public void awaitOutput(String text, Duration timeout) {
    Waits.until(name + " to print '" + text + "'", timeout, () -> {
      if (output().contains(text)) {
        return true;
      }
      if (!alive()) {
        throw new IllegalStateException(name + " exited before printing '" + text + "'; its log " + log + " ends: "
            + tail(output(), 800));
      }
      return false;
    });
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }

  @Override
  public String toString() {
    return name + "@" + host.address();
  }
}
