package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Executors in a Docker image on the real Docker daemon: the module's
 * {@code bin/build-executor-image} makes the image from the adapter's jars and this machine's
 * Java (no registry), and {@code trellis spark submit} with
 * {@code spark.trellis.executor.docker.image} runs the pi example with its executor in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerExecutorTest {
  static final String IMAGE = "trellis/spark-executor:test";
  private SparkCluster cluster;

  @BeforeAll
  void start() throws Exception {
    Path script = Path.of("..", "bin", "build-executor-image").toAbsolutePath().normalize();
    Path log = Files.createTempFile("build-executor-image-", ".log");
    Process build = new ProcessBuilder(script.toString(), "--tag=" + IMAGE, "--lib=" + SparkCluster.sparkLib())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(build.waitFor(10, TimeUnit.MINUTES), "the image was built within 10 minutes");
    assertEquals(0, build.exitValue(), "build-executor-image: " + Files.readString(log));
    cluster = new SparkCluster("cpus:4;mem:6144;disk:10000");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theExecutorRunsInTheImageAndThePiExampleSucceeds() throws Exception {
    List<String> args = new ArrayList<>(List.of("spark", "submit", "--master", cluster.masterUrl(),
        "--name", "pi-in-docker", "--class", "io.trellis.spark.examples.SparkPi"));
    // The executor JVM prints its settings first: they show which Java it is.
    args.addAll(cluster.smallApplication("-XshowSettings:properties"));
    args.addAll(List.of("--conf", "spark.trellis.executor.docker.image=" + IMAGE,
        "--conf", "spark.trellis.executor.classpath=/opt/trellis/spark/lib/*",
        SparkCluster.examplesJar().toString(), "4"));
    SparkCluster.Result submit = cluster.run(args, 300);
    assertEquals(0, submit.status(), submit.output());
    assertTrue(submit.output().contains("Pi is roughly 3.1"), submit.output());

    List<Path> executors = cluster.sandboxes("spark-application-");
    assertEquals(1, executors.size(), "one executor task: " + executors);
    // The executor's output, written in the container to the mounted sandbox, shows it ran the
    // image's Java on the image's jars, in the sandbox.
    String stderr = Files.readString(executors.get(0).resolve("stderr"));
    assertTrue(stderr.contains("java.home = /opt/java"), "the image's Java: " + stderr);
    assertTrue(stderr.contains("java.class.path = /opt/trellis/spark/lib/"), "the image's jars: " + stderr);
    assertTrue(stderr.contains("user.dir = /mnt/trellis/sandbox"), "in the task's sandbox: " + stderr);
    Path launch = executors.get(0).getParent().resolve("launch.json");
    String task = Files.readString(launch);
    assertTrue(task.contains("\"DOCKER\"") && task.contains(IMAGE), task);
    assertTrue(task.contains("/opt/trellis/spark/lib/*"), task);
  }
}
