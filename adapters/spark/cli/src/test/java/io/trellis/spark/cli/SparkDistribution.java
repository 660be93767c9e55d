package io.trellis.spark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Apache Spark distribution as a user unpacks one: {@code RELEASE}, an empty {@code conf/} and
 * Spark's jars in {@code jars/} (Spark's runtime class path as this build resolves it, none of
 * Trellis' own jars), and its {@code spark-submit} run as {@code bin/spark-class} runs it: Spark's
 * launcher ({@code org.apache.spark.launcher.Main}) builds the {@code SparkSubmit} command line,
 * which then runs in a JVM of its own.
 */
final class SparkDistribution {
  final Path home;

  private SparkDistribution(Path home) {
    this.home = home;
  }

  /** Lays out a distribution in {@code home}; with {@code extraJar} dropped into its {@code jars/} when not null. */
  static SparkDistribution layOut(Path home, Path extraJar) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("RELEASE"), "Spark 4.2.0 built for Hadoop 3\n", StandardCharsets.UTF_8);
    try (Stream<Path> lib = Files.list(SparkCluster.sparkLib())) {
      for (Path jar : lib.filter(j -> !j.getFileName().toString().startsWith("trellis-")).toList()) {
        Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
      }
    }
    if (extraJar != null) {
      Files.copy(extraJar, jars.resolve(extraJar.getFileName()));
    }
    return new SparkDistribution(home);
  }

  /** The backend jar the build makes for stock {@code spark-submit}, beside the adapter's lib directory. */
  static Path backendJar() {
    return EnvCommand.backendJar(SparkCluster.sparkLib());
  }

  /**
   * Runs {@code spark-submit ARGS} to its end (killed after {@code timeoutSeconds}) with
   * {@code SPARK_LOCAL_IP=127.0.0.1}; returns its exit status, its output and how long it took.
   */
  SparkCluster.Result sparkSubmit(Path out, List<String> args, int timeoutSeconds) throws Exception {
    long started = System.nanoTime();
    List<String> launcher = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", home.resolve("jars") + "/*",
        "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit"));
    launcher.addAll(args);
    Process build = environment(new ProcessBuilder(launcher)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] raw = build.getInputStream().readAllBytes();
    if (!build.waitFor(60, TimeUnit.SECONDS) || build.exitValue() != 0) {
      throw new AssertionError("Spark's launcher failed for " + args);
    }
    // As bin/spark-class reads it: lines to show, a NUL line, then the command's words each ended by NUL.
    String printed = new String(raw, StandardCharsets.UTF_8);
    int start = printed.indexOf("\0\n");
    if (start < 0) {
      throw new AssertionError("Spark's launcher printed no command for " + args + ": " + printed);
    }
    List<String> command = Arrays.asList(printed.substring(start + 2).split("\0"));
    Process p = environment(new ProcessBuilder(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("spark-submit " + args + " did not end within " + timeoutSeconds + " s; output:\n"
          + Files.readString(out));
    }
    System.out.printf("spark-submit %s ended with %d after %d ms%n", args.subList(0, 2), p.exitValue(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return new SparkCluster.Result(p.exitValue(), Files.readString(out));
  }

  /** What {@code bin/spark-class} and {@code load-spark-env.sh} export. */
  private ProcessBuilder environment(ProcessBuilder pb) {
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("TRELLIS_"));
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
