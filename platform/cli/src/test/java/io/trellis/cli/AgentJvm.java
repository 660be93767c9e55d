package io.trellis.cli;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** An agent in its own JVM, started through the {@code trellis agent} command. */
final class AgentJvm implements AutoCloseable {
  final int port;
  final Path workDir;
  final Path log;
  private final String master;
  private final String resources;
  private Process process;

  AgentJvm(String master, Path workDir, String resources) throws IOException {
    this.master = master;
    this.workDir = workDir;
    this.resources = resources;
    this.port = freePort();
    this.log = workDir.resolveSibling(workDir.getFileName() + ".log");
  }

  AgentJvm start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Tasks run as the agent's default task user (nobody, for an agent running as root), which
    // must reach the sandboxes: a test's temporary directory is closed to others.
    Files.createDirectories(workDir);
    Files.setPosixFilePermissions(workDir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-DTRELLIS_LOG_LEVEL=INFO", "-cp", System.getProperty("java.class.path"),
        "io.trellis.cli.Trellis", "agent", "--master", master, "--port", Integer.toString(port),
        "--work-dir", workDir.toString(), "--resources", resources, "--insecure"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    return this;
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** Kills the agent's JVM at once (SIGKILL); its tasks, in their own sessions, keep running. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Path sandbox(String frameworkId, String taskId) {
    return workDir.resolve("tasks").resolve(frameworkId).resolve(taskId).resolve("sandbox");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static String logTail(Path log) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static String separator() {
    return File.separator;
  }
}
