package io.trellis.jobs.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The jobs framework in its own JVM, started through the {@code trellis jobs} command. */
final class JobsJvm implements AutoCloseable {
  final int port;
  private final Process process;

  JobsJvm(String zkSpec, Path log) throws IOException {
    port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-DTRELLIS_LOG_LEVEL=" + System.getProperty("jobs.jvm.log", "INFO"), "-cp",
        System.getProperty("java.class.path"), "io.trellis.cli.Trellis", "jobs", "--zk", zkSpec,
        "--port", Integer.toString(port), "--retry-backoff", "PT1S", "--insecure"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no goodbye to ZooKeeper or the master. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
