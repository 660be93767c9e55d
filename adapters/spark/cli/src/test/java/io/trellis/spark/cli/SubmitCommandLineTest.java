package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The JVM command lines {@code trellis spark submit} starts, from a stand-in adapter directory. */
class SubmitCommandLineTest {
  private static Path fakeLib() throws Exception {
    Path lib = Files.createTempDirectory("trellis-spark-lib-");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(lib.resolve("trellis-spark-0.1.0-SNAPSHOT.jar")))) {
      out.putNextEntry(new JarEntry(SparkLib.FLAGS));
      out.write("--add-opens=java.base/java.nio=ALL-UNNAMED\n-Dio.netty.tryReflectionSetAccessible=true\n"
          .getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new JarEntry(SparkLib.DRIVER_FLAGS));
      out.write("-XX:TieredStopAtLevel=1\n-XX:+UseSerialGC\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return lib;
  }

  @Test
  void clientModeRunsTheDriverInOneJvmWithSparksFlagsItsHeapAndTheJar() throws Exception {
    Path lib = fakeLib();
    SubmitCommand submit = new SubmitCommand();
    new CommandLine(submit).parseArgs("--master", "trellis://127.0.0.1:5050", "--class", "x.Main",
        "--driver-memory", "2g", "/tmp/app.jar", "7");
    List<String> cmd = submit.command(lib);
    assertEquals("-Xmx2g", cmd.get(1));
    assertEquals(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dtrellis.spark.inProcess=true", "-cp", lib.toAbsolutePath() + File.separator + "*" + File.pathSeparator + "/tmp/app.jar",
        "io.trellis.spark.submit.Submit"), cmd.subList(2, 10));
    assertEquals(List.of("/tmp/app.jar", "7"), cmd.subList(cmd.size() - 2, cmd.size()));
  }

  @Test
  void clientModeGivesTheDriverJvmItsExtraJavaOptionsAndCanDoWithoutTheClassArchive() throws Exception {
    Path lib = fakeLib();
    SubmitCommand submit = new SubmitCommand();
    new CommandLine(submit).parseArgs("--class", "x.Main", "--conf", "spark.trellis.classDataSharing=false",
        "--conf", "spark.driver.extraJavaOptions= -Dmark=1  -XX:+UseParallelGC ", "/tmp/app.jar");
    List<String> cmd = submit.command(lib);
    int cp = cmd.indexOf("-cp");
    assertEquals(List.of("-Dmark=1", "-XX:+UseParallelGC", "-Dtrellis.spark.inProcess=true"), cmd.subList(cp - 3, cp));
    assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")), cmd.toString());
    assertTrue(cmd.indexOf("-XX:TieredStopAtLevel=1") < cmd.indexOf("-XX:+UseParallelGC"),
        "the user's flags come after the light JVM's and win: " + cmd);
  }

  @Test
  void theDriversLightJvmCanBeTurnedOff() throws Exception {
    SubmitCommand submit = new SubmitCommand();
    new CommandLine(submit).parseArgs("--class", "x.Main", "--conf", SubmitCommand.LIGHT_JVM + "=false",
        "/tmp/app.jar");
    List<String> cmd = submit.command(fakeLib());
    assertTrue(cmd.stream().noneMatch(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")::contains), cmd.toString());
  }

  @Test
  void clusterModeOnlyNeedsASmallJvmOnTheAdaptersClassPath() throws Exception {
    Path lib = fakeLib();
    SubmitCommand submit = new SubmitCommand();
    new CommandLine(submit).parseArgs("--deploy-mode", "cluster", "--class", "x.Main", "/tmp/app.jar");
    List<String> cmd = submit.command(lib);
    assertEquals(List.of("-Xmx256m", "-cp", lib.toAbsolutePath() + File.separator + "*", "io.trellis.spark.submit.Submit"),
        cmd.subList(1, 5));
    assertTrue(cmd.containsAll(List.of("--deploy-mode", "cluster")), cmd.toString());
  }
}
