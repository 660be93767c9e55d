package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.spark.submit.ClusterSubmission;
import io.trellis.spark.submit.SubmitArgs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Spark applications as separate driver processes: two applications under roles of weight 1 and
 * 3 share what a services framework gives back, and a cluster-mode driver runs as a Trellis task.
 * Two agents of 5 cpus each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesAndClusterModeTest {
  private TrellisCluster cluster;
  private final List<Process> drivers = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    cluster = new TrellisCluster("cpus:5;mem:4096;disk:1000");
  }

  @AfterAll
  void stop() throws Exception {
    for (Process p : drivers) {
      p.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoApplicationsUnderWeightsOneAndThreeGetExecutorsInThatRatio() throws Exception {
    cluster.operator.setRole("spark-light", 1.0, null, null);
    cluster.operator.setRole("spark-heavy", 3.0, null, null);
    List<ServicesFramework.Pending> tasks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      tasks.add(new ServicesFramework.Pending("web-" + i, "cpus:1;mem:64"));
    }
    for (int i = 0; i < 8; i++) {
      tasks.add(new ServicesFramework.Pending("filler-" + i, "cpus:1;mem:32"));
    }
    try (ServicesFramework services = new ServicesFramework(cluster.sparkMaster().substring("trellis://".length()),
        "services", tasks)) {
      cluster.await("the services framework holds every cpu", s -> TrellisCluster.count(s.path("tasks"),
          t -> t.path("state").asText().equals("RUNNING")) == 10, 60);

      Path stop = cluster.dir.resolve("stop-holders");
      drivers.add(startDriver("light", "spark-light", stop));
      drivers.add(startDriver("heavy", "spark-heavy", stop));
      cluster.await("both applications subscribed", s -> TrellisCluster.count(s.path("frameworks"),
          f -> f.path("name").asText().startsWith("spark ")) == 2, 90);
      // Both have declined the memory left beside the services before any cpu frees up.
      cluster.await("no offer outstanding", s -> s.path("offers").isEmpty(), 30);

      for (int freed = 1; freed <= 8; freed++) {
        services.kill("filler-" + (freed - 1));
        int expected = freed;
        cluster.await(freed + " executors placed", s -> executors(s, "light") + executors(s, "heavy") == expected, 60);
      }
      JsonNode state = cluster.state();
      assertEquals(2, executors(state, "light"), "weight 1 gets a quarter: " + state.path("tasks"));
      assertEquals(6, executors(state, "heavy"), "weight 3 gets three quarters: " + state.path("tasks"));
      for (String web : List.of("web-0", "web-1")) {
        assertEquals(1, TrellisCluster.count(state.path("tasks"), t -> t.path("id").asText().equals(web)
            && t.path("state").asText().equals("RUNNING")), web + " keeps running");
      }
      Files.createFile(stop);
      for (Process p : drivers) {
        assertEquals(0, p.waitFor(), "the application ended cleanly");
      }
      cluster.await("executors gone", s -> executors(s, "light") + executors(s, "heavy") == 0, 60);
    } finally {
      Path stop = cluster.dir.resolve("stop-holders");
      if (!Files.exists(stop)) {
        Files.createFile(stop);
      }
      for (Process p : drivers) {
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void aClusterModeDriverRunsAsATaskAndPrintsPi() throws Exception {
    Path jar = jarOf(cluster.dir.resolve("pi-app.jar"), PiApp.class);
    SubmitArgs app = SubmitArgs.parse(List.of("--master", cluster.sparkMaster(), "--deploy-mode", "cluster",
        "--class", PiApp.class.getName(), "--name", "pi-cluster", "--driver-memory", "512m",
        "--total-executor-cores", "2", "--executor-memory", "512m",
        "--conf", "spark.executor.memoryOverhead=128m",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.trellis.executor.classpath=" + System.getProperty("java.class.path"),
        "--conf", "spark.trellis.executor.java=" + TrellisCluster.javaBin(),
        "--conf", "spark.executor.extraJavaOptions=" + cluster.marker,
        "--conf", "spark.driver.extraJavaOptions=" + cluster.marker,
        "--wait", jar.toString(), "4"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ClusterSubmission submission = new ClusterSubmission(app, new PrintStream(tee(bytes), true, StandardCharsets.UTF_8));
    int status = submission.run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("driver " + submission.driverId() + " RUNNING"), out);

    JsonNode driver = null;
    for (JsonNode t : cluster.state().path("tasks")) {
      if (t.path("id").asText().equals(submission.driverId())) {
        driver = t;
      }
    }
    assertTrue(driver != null, "the driver is a task in Trellis state");
    String stdout = Files.readString(cluster.sandbox(driver.path("frameworkId").asText(), submission.driverId()).resolve("stdout"));
    assertEquals(0, status, out + "\ndriver stdout:\n" + stdout);
    assertEquals("FINISHED", driver.path("state").asText());
    Matcher m = Pattern.compile("Pi is roughly ([0-9.]+)").matcher(stdout);
    assertTrue(m.find(), "the driver printed pi in its sandbox: " + stdout);
    assertEquals(Math.PI, Double.parseDouble(m.group(1)), 0.02);
  }

  private Process startDriver(String name, String role, Path stop) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(TrellisCluster.javaBin(), "-Xmx512m"));
    cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    cmd.addAll(List.of(cluster.marker, "-Dspark.master=" + cluster.sparkMaster(), "-Dspark.app.name=" + name,
        "-Dspark.trellis.role=" + role, "-Dspark.driver.host=127.0.0.1", "-Dspark.ui.enabled=false",
        "-Dspark.executor.memory=512m", "-Dspark.executor.memoryOverhead=128m", "-Dspark.executor.cores=1",
        "-Dspark.executor.extraJavaOptions=" + cluster.marker,
        "-Dspark.trellis.executor.java=" + TrellisCluster.javaBin(),
        "-cp", System.getProperty("java.class.path"), HoldApp.class.getName(), stop.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(cluster.dir.resolve("driver-" + name + ".log").toFile()).start();
  }

  /** Live executor tasks of the application whose framework name contains {@code app}. */
  private static int executors(JsonNode state, String app) {
    return TrellisCluster.count(state.path("tasks"), t -> t.path("name").asText().equals("spark executor "
        + t.path("id").asText().replaceAll(".*-executor-", "") + " of " + app)
        && List.of("STAGING", "STARTING", "RUNNING").contains(t.path("state").asText()));
  }

  private static Path jarOf(Path jar, Class<?> main) throws IOException {
    String entry = main.getName().replace('.', '/') + ".class";
    Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().getPath());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      try (var files = Files.walk(classes.resolve(main.getPackageName().replace('.', '/')))) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith(main.getSimpleName())).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
          out.write(Files.readAllBytes(f));
          out.closeEntry();
        }
      }
    }
    assertTrue(Files.size(jar) > 0, entry);
    return jar;
  }

  private static OutputStream tee(OutputStream a) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        a.write(b);
        System.out.write(b);
      }
    };
  }
}
