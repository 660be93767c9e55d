package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive of the adapter's real class path, as {@code trellis spark submit} makes
 * it: two submissions at once make one archive, and a Spark JVM started with it maps Spark's
 * classes from it instead of loading them from the jars.
 */
class DriverClassArchiveTest {
  @TempDir
  Path dir;

  @Test
  void twoSubmissionsAtOnceMakeOneArchiveThatSparkJvmsLoadTheirClassesFrom() throws Exception {
    // A copy of the install, so that this test makes its archive beside it from scratch.
    Path lib = Files.createDirectories(dir.resolve("lib"));
    try (var jars = Files.list(SparkLib.locate())) {
      for (Path jar : jars.toList()) {
        Files.copy(jar, lib.resolve(jar.getFileName()));
      }
    }
    List<String> flags = SparkLib.jvmFlags(lib);
    List<String> reports = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(
        () -> SparkLib.classArchiveOptions(lib, flags, reports::add));
    CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(
        () -> SparkLib.classArchiveOptions(lib, flags, reports::add));
    List<String> options = first.get(5, TimeUnit.MINUTES);
    assertEquals(options, second.get(5, TimeUnit.MINUTES));
    assertEquals(1, reports.size(), "made once: " + reports);
    assertTrue(reports.get(0).startsWith("making the class-data archive for Spark JVMs"), reports.get(0));
    assertEquals(3, options.size(), options.toString());
    Path archive = Path.of(options.get(0).substring("-XX:SharedArchiveFile=".length()));
    assertEquals(dir.resolve("cds"), archive.getParent(), "beside the install's lib");
    try (var files = Files.list(archive.getParent())) {
      List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList();
      assertEquals(List.of(archive.getFileName().toString()), names, "one archive, nothing partial");
    }
    assertEquals(options, SparkLib.classArchiveOptions(lib, flags, reports::add), "made already");
    assertEquals(1, reports.size(), reports.toString());

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(flags);
    cmd.addAll(options);
    cmd.addAll(List.of("-Xlog:class+load=info:stdout", "-cp", lib + "/*",
        "org.apache.spark.executor.CoarseGrainedExecutorBackend"));
    Path out = dir.resolve("executor.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    String log = Files.readString(out);
    assertTrue(log.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend source: shared objects file (top)"),
        "the executor's main class comes from the archive");
    long shared = log.lines().filter(l -> l.contains("source: shared objects file (top)")).count();
    long fromJars = log.lines().filter(l -> l.contains("source: file:")).count();
    assertTrue(shared > 1000 && shared > 10 * fromJars, shared + " classes of the class path from the archive, "
        + fromJars + " from the jars");
  }
}
