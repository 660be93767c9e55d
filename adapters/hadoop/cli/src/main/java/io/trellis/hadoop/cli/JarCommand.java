package io.trellis.hadoop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis hadoop jar <jar> <MainClass> [args]}: YARN's own {@code RunJar} in a JVM on the
 * adapter's class path, with this ResourceManager's client settings first on it.
 */
@Command(name = "jar", mixinStandardHelpOptions = true,
    description = "Run a Hadoop job jar against this YARN cluster, as 'hadoop jar' does.")
final class JarCommand implements Callable<Integer> {
  static final String RUN_JAR = "org.apache.hadoop.util.RunJar";

  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Parameters(index = "0", paramLabel = "JAR", description = "The job jar.")
  Path jar;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "The main class (unless the jar's manifest names one) and its arguments.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      System.err.println("trellis hadoop jar: job jar " + jar + " is not a readable file");
      return 2;
    }
    Path lib;
    try {
      lib = HadoopLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis hadoop jar: " + e.getMessage());
      return 1;
    }
    Path conf = Files.createTempDirectory("trellis-hadoop-conf-");
    try {
      ConfFiles.write(conf, new ControlClient(rm).get("/v1/conf"));
      List<String> runJar = new ArrayList<>(List.of(jar.toAbsolutePath().toString()));
      runJar.addAll(args);
      String heap = System.getenv().getOrDefault("TRELLIS_HADOOP_CLIENT_HEAP", "512m");
      return HadoopLib.run(lib, heap, List.of(conf.toString()), RUN_JAR, runJar);
    } catch (ControlClient.Failure e) {
      System.err.println("trellis hadoop jar: " + e.getMessage());
      return 1;
    } finally {
      try (Stream<Path> files = Files.walk(conf)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
