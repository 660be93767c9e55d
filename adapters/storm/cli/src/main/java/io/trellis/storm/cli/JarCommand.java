package io.trellis.storm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis storm jar}: runs a topology's main class with Storm's client and the jar (as
 * {@code storm jar} does), then waits until the topology runs all its workers or says why not.
 */
@Command(name = "jar", mixinStandardHelpOptions = true, description = "Submit a topology: run its main class against Nimbus.")
final class JarCommand implements Callable<Integer> {
  static final String SUBMIT = "io.trellis.storm.client.Submit";

  @Option(names = "--nimbus", description = "Nimbus host:port (default: $TRELLIS_STORM_NIMBUS or 127.0.0.1:6627)")
  String nimbus = StormCommand.defaultNimbus();

  @Option(names = "--wait", defaultValue = "300", description = "Seconds to wait for every worker to run (default: ${DEFAULT-VALUE})")
  int waitSeconds;

  @Parameters(index = "0", paramLabel = "JAR", description = "The topology's jar.")
  Path jar;

  @Parameters(index = "1", paramLabel = "MAIN_CLASS", description = "The class whose main submits the topology.")
  String mainClass;

  @Parameters(index = "2..*", paramLabel = "ARG", description = "The main class's arguments.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      System.err.println("trellis storm jar: topology jar " + jar + " does not exist or is not readable");
      return 2;
    }
    if (waitSeconds < 0) {
      System.err.println("trellis storm jar: --wait must be 0 or more seconds, not " + waitSeconds);
      return 2;
    }
    Path lib;
    try {
      lib = StormLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis storm jar: " + e.getMessage());
      return 1;
    }
    String jarPath = jar.toAbsolutePath().toString();
    List<String> all = new ArrayList<>(List.of(nimbus, Integer.toString(waitSeconds), mainClass));
    all.addAll(args);
    return StormLib.run(StormLib.java(lib, "384m", List.of("-Dstorm.jar=" + jarPath), jarPath, SUBMIT, all));
  }
}
