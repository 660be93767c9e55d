package io.trellis.faults.scenarios;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's Docker daemon, as the Docker scenarios see and handle it: through its own command line. */
final class DockerCli {
  /** Where a daemon this suite starts again writes its log. */
  static final Path LOG = Path.of("/var/log/dockerd.log");

  private DockerCli() {}

  /** Whether a daemon answers. */
  static boolean answers() {
    return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 20).status == 0;
  }

  /**
   * The Trellis containers of the daemon ({@code all}: stopped ones too), as {@code task id → state},
   * read from their {@code trellis.task-id} label; only those of agents in {@code agentIds}.
   */
  static java.util.Map<String, String> containers(java.util.Set<String> agentIds, boolean all) {
    List<String> argv = new ArrayList<>(List.of("docker", "ps", "--no-trunc", "--filter", "label=trellis.task-id",
        "--format", "{{.Label \"trellis.task-id\"}} {{.Label \"trellis.agent-id\"}} {{.State}}"));
    if (all) {
      argv.add(2, "-a");
    }
    Outcome o = run(argv, 30);
    if (o.status != 0) {
      throw new IllegalStateException("docker ps failed: " + o.output);
    }
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String line : o.output.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length == 3 && agentIds.contains(f[1])) {
        out.put(f[0], f[2]);
      }
    }
    return out;
  }

  /** kill -9 of every dockerd of the host: containerd and the containers' shims are not touched. */
  static void killDaemon() {
    run(List.of("pkill", "-9", "-x", "dockerd"), 10);
  }

  /** Starts dockerd again in its own session, its output appended to {@link #LOG}. */
  static void startDaemon() throws IOException {
    new ProcessBuilder("setsid", "dockerd").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).redirectInput(ProcessBuilder.Redirect.from(
            new java.io.File("/dev/null"))).start();
  }

  record Outcome(int status, String output) {}

  static Outcome run(List<String> argv, int timeoutSeconds) {
    java.nio.file.Path out = null;
    try {
      // The output goes to a file, so that a command that hangs is still stopped at its timeout.
      out = java.nio.file.Files.createTempFile("trellis-docker-", ".out");
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, argv + " did not end within " + timeoutSeconds + " s");
      }
      return new Outcome(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Outcome(-1, argv.get(0) + " cannot be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "interrupted");
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
