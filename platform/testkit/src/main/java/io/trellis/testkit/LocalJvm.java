package io.trellis.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code trellis local} in its own JVM, on the test's class path, with every port its own (free
 * ones, or another run's to provoke a clash) and its output in a log file.
 */
public final class LocalJvm implements AutoCloseable {
  public final int zkPort;
  public final int masterPort;
  public final int agentPort;
  public final int jobsPort;
  public final int servicesPort;
  public final Path dataDir;
  private final Path log;
  private Process process;

  private LocalJvm(int zkPort, int masterPort, int agentPort, int jobsPort, int servicesPort, Path dataDir) {
    this.zkPort = zkPort;
    this.masterPort = masterPort;
    this.agentPort = agentPort;
    this.jobsPort = jobsPort;
    this.servicesPort = servicesPort;
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
  }

  /** A local cluster on free ports with its data in {@code dataDir}. */
  public static LocalJvm onFreePorts(Path dataDir) throws IOException {
    return new LocalJvm(freePort(), freePort(), freePort(), freePort(), freePort(), dataDir);
  }

  /** A local cluster on the same ports as {@code other}, with its data in {@code dataDir}. */
  public static LocalJvm onPortsOf(LocalJvm other, Path dataDir) {
    return new LocalJvm(other.zkPort, other.masterPort, other.agentPort, other.jobsPort, other.servicesPort, dataDir);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code trellis local} with these ports and data directory, and {@code extra} options. */
  public LocalJvm start(String... extra) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "io.trellis.cli.Trellis", "local",
        "--zk-port", Integer.toString(zkPort), "--port", Integer.toString(masterPort),
        "--agent-port", Integer.toString(agentPort), "--data-dir", dataDir.toString(),
        "--resources", "cpus:2;mem:2048;disk:1000"));
    command.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TRELLIS_JOBS_PORT", Integer.toString(jobsPort));
    pb.environment().put("TRELLIS_SERVICES_PORT", Integer.toString(servicesPort));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    return this;
  }

  /** Waits until the cluster printed that it is up; fails with its output otherwise. */
  public LocalJvm awaitUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains("Trellis local cluster is up.")) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError("trellis local exited with " + process.exitValue() + ":\n" + output());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("trellis local not up within " + timeout + ":\n" + output());
  }

  /** The exit status, once the process ends within {@code timeout}; fails if it runs on. */
  public int exitStatus(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("trellis local still runs after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /**
   * {@code Bearer <admin token>}: the cluster is closed, and writes its admin token to
   * {@code <data dir>/security/admin.token} when it starts.
   */
  public String authorization() throws IOException {
    return "Bearer " + Files.readString(dataDir.resolve("security").resolve("admin.token")).strip();
  }

  public String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Deletes a test's directory and everything in it; what cannot be deleted is left. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Stops it as Ctrl-C would (SIGTERM) and waits. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }
}
