package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorCommandTest {
  private static BackendSettings settings(SparkConf conf) {
    return BackendSettings.from(conf, "trellis://127.0.0.1:5050");
  }

  @Test
  void theTaskIsSizedAndLabelledAndRunsTheExecutorBackend() {
    SparkConf conf = new SparkConf(false).set("spark.app.name", "etl").set("spark.executor.memory", "2g")
        .set("spark.executor.cores", "3").set("spark.trellis.executor.classpath", "/opt/trellis/spark/*");
    ExecutorCommand cmd = new ExecutorCommand(settings(conf), "spark://CoarseGrainedScheduler@10.0.0.1:7078", "app-1");
    TaskSpec task = cmd.task("app-1-executor-4", "4", "agent-1", "node1");
    assertEquals("cpus:3;mem:2432", task.resources(), "2048 MB heap plus the default 384 MB overhead");
    assertEquals("app-1", task.labels().get("spark-app-id"));
    assertEquals("etl", task.labels().get("spark-app-name"));
    String sh = task.command().value();
    assertTrue(sh.contains("'-Xmx2048m'"), sh);
    assertTrue(sh.contains("'--add-opens=java.base/java.nio=ALL-UNNAMED'"), sh);
    assertTrue(sh.contains("-cp '/opt/trellis/spark/*' org.apache.spark.executor.CoarseGrainedExecutorBackend"), sh);
    assertTrue(sh.contains("'--executor-id' '4' '--hostname' 'node1' '--cores' '3' '--app-id' 'app-1'"), sh);
  }

  @Test
  void overheadFollowsTheFactorAboveTheMinimum() {
    SparkConf conf = new SparkConf(false).set("spark.executor.memory", "8g");
    assertEquals(8192 + 819, settings(conf).executorSize().memMb());
  }

  @Test
  void anExecutorArchiveIsUnpackedIntoTheSandboxAndItsJarsFormTheClassPath() throws Exception {
    Path dir = Files.createTempDirectory("archive-test");
    Path content = Files.createDirectories(dir.resolve("content/lib"));
    Files.writeString(content.resolve("a.jar"), "x");
    Path archive = dir.resolve("spark.tgz");
    assertEquals(0, new ProcessBuilder("tar", "-czf", archive.toString(), "-C", dir.resolve("content").toString(), "lib")
        .inheritIO().start().waitFor());
    String fetch = ExecutorArchive.fetchCommand("file://" + archive);
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Process p = new ProcessBuilder("/bin/sh", "-c", fetch + " && find \"$PWD/" + ExecutorArchive.DIR
        + "\" -name '*.jar'").directory(sandbox.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.exitValue(), out);
    assertEquals(sandbox.resolve("spark-dist/lib/a.jar").toString(), out);
  }
}
