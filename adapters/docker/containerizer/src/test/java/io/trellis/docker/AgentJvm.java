package io.trellis.docker;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An agent in its own JVM with the Docker containerizer on its class path, so that a test can
 * crash it (SIGKILL) and start it again on the same work directory.
 */
final class AgentJvm implements AutoCloseable {
  final Path workDir;
  final Path log;
  private final String master;
  private final int port;
  private final String resources;
  private Process process;

  AgentJvm(String master, Path workDir, int port, String resources) {
    this.master = master;
    this.workDir = workDir;
    this.port = port;
    this.resources = resources;
    this.log = workDir.resolveSibling(workDir.getFileName() + ".log");
  }

  /** The agent's main: {@code master workDir port resources}; runs until killed. */
  public static void main(String[] args) throws Exception {
    AgentConfig config = AgentConfig.of(args[0], Path.of(args[1]))
        .withPort(Integer.parseInt(args[2])).withResources(args[3]);
    AgentProcess.start(config, Resources.parse(args[3]), Attributes.NONE,
        MasterDetectors.from(args[0]));
    new CountDownLatch(1).await();
  }

  AgentJvm start() throws IOException {
    Files.createDirectories(workDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-DTRELLIS_LOG_LEVEL=INFO", "-cp",
        System.getProperty("java.class.path"), AgentJvm.class.getName(), master,
        workDir.toString(), Integer.toString(port), resources));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    return this;
  }

  /** Kills the agent's JVM at once; its containers keep running under the daemon. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  Path sandbox(String frameworkId, String taskId) {
    return workDir.resolve("tasks").resolve(frameworkId).resolve(taskId).resolve("sandbox");
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
