package io.trellis.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.trellis.agent.containerizer.ContainerizerContext;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real Docker daemon for tests: fails (never skips) when it or the test image is missing,
 * builds launch requests like the agent's, and removes what a test class left behind.
 */
final class DockerFixture implements AutoCloseable {
  static final String IMAGE = "trellis/busybox:latest";
  static final String FRAMEWORK = "docker-test-framework";

  final String agentId = "test-agent-" + UUID.randomUUID();
  final Path workDir;
  final DockerDaemon daemon = DockerDaemon.at(DockerSettings.DEFAULT_HOST);

  DockerFixture() throws IOException {
    try {
      daemon.ping();
    } catch (Exception e) {
      fail("the Docker daemon does not answer at " + DockerSettings.DEFAULT_HOST + " ("
          + e.getMessage() + "); run bin/docker-setup (as root) to install and start it");
    }
    try {
      daemon.client().inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      fail("the test image " + IMAGE + " is missing; run bin/docker-setup to build it");
    }
    workDir = Files.createTempDirectory("trellis-docker-test-");
  }

  ContainerizerContext context(Map<String, String> settings) {
    return new ContainerizerContext(agentId, workDir, settings);
  }

  DockerContainerizer containerizer(Map<String, String> settings) {
    DockerContainerizer c = new DockerContainerizer();
    c.initialize(context(settings));
    return c;
  }

  /** A DOCKER task of the test image running {@code shell} with the given resources. */
  LaunchRequest request(String taskId, String resources, CommandSpec command,
      ContainerSpec container) throws IOException {
    TaskSpec task = new TaskSpec(taskId, taskId, agentId, resources, command,
        Map.of("team", "tests"), 1.0, container);
    Path sandbox = workDir.resolve("tasks").resolve(FRAMEWORK).resolve(taskId).resolve("sandbox");
    Files.createDirectories(sandbox);
    Resources parsed = Resources.parse(resources);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TRELLIS_TASK_ID", taskId);
    env.put("TRELLIS_FRAMEWORK_ID", FRAMEWORK);
    env.put("TRELLIS_SANDBOX", sandbox.toString());
    env.put("HOST", "127.0.0.1");
    Ranges ports = parsed.ranges(Resources.PORTS);
    List<String> list = new ArrayList<>();
    for (int i = 0; i < ports.intervalCount(); i++) {
      for (long p = ports.begin(i); p <= ports.end(i); p++) {
        env.put("PORT" + list.size(), Long.toString(p));
        list.add(Long.toString(p));
      }
    }
    env.put("PORTS", String.join(",", list));
    return new LaunchRequest(FRAMEWORK, task, parsed, sandbox, env);
  }

  LaunchRequest shell(String taskId, String resources, String shell) throws IOException {
    return request(taskId, resources, CommandSpec.shell(shell), docker(null, null));
  }

  static ContainerSpec docker(String network, List<Map<String, Object>> portMappings) {
    return new ContainerSpec("DOCKER", IMAGE, network, false, false, portMappings, List.of(),
        Map.of());
  }

  Optional<InspectContainerResponse> inspect(LaunchRequest request) {
    try {
      return Optional.of(daemon.client().inspectContainerCmd(
          ContainerPlan.name(request.frameworkId(), request.task().taskId())).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** A port free on loopback right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    fail("timed out after " + timeout + " waiting for " + what);
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body of a GET on {@code url} once it answers 200, polling until {@code timeout}. */
  static String httpGet(String url, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
        last = "status " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return fail("no HTTP 200 from " + url + " within " + timeout + ": " + last);
  }

  @Override
  public void close() {
    daemon.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerPlan.LABEL_AGENT_ID, agentId)).exec()
        .forEach(c -> {
          try {
            daemon.client().removeContainerCmd(c.getId()).withForce(true).exec();
          } catch (NotFoundException e) {
            // already gone
          }
        });
    daemon.close();
  }
}
