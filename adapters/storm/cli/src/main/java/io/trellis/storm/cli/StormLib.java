package io.trellis.storm.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The Storm adapter's class path (kept off the {@code trellis} class path), and JVMs started on
 * it: {@code $TRELLIS_STORM_LIB}, else {@code storm/} beside this jar (an install), else the
 * adapter's build output seen from this jar in {@code distribution/target/lib} or in
 * {@code adapters/storm/cli/target}.
 */
final class StormLib {
  static final String MARKER_PREFIX = "trellis-storm-0";

  private StormLib() {}

  static Path locate() {
    String env = System.getenv("TRELLIS_STORM_LIB");
    Predicate<Path> holds = dir -> {
      try (var files = Files.list(dir)) {
        return files.anyMatch(f -> f.getFileName().toString().startsWith(MARKER_PREFIX));
      } catch (IOException e) {
        return false;
      }
    };
    if (env != null && !env.isBlank()) {
      if (holds.test(Path.of(env))) {
        return Path.of(env);
      }
      throw new IllegalStateException("TRELLIS_STORM_LIB=" + env + " holds no trellis-storm jar");
    }
    List<Path> tried = new ArrayList<>();
    Path self;
    try {
      self = Path.of(StormLib.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (Exception e) {
      throw new IllegalStateException("cannot tell where the trellis command's jars are; set TRELLIS_STORM_LIB", e);
    }
    for (String rel : List.of("storm", "../../../adapters/storm/backend/target/lib", "../../backend/target/lib")) {
      Path candidate = self.resolve(rel).normalize();
      tried.add(candidate);
      if (holds.test(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("the Storm adapter's jars were not found (looked in " + tried
        + "); build them with 'mvn -pl adapters/storm/backend -am package -DskipTests' or set TRELLIS_STORM_LIB");
  }

  /** A JVM on the adapter's class path (plus {@code extra}) running {@code mainClass}. */
  static List<String> java(Path lib, String heap, List<String> jvmOptions, String extra, String mainClass,
      List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    if (!mainClass.endsWith("NimbusMain")) {
      cmd.add("-Dtrellis.storm.log.level=error");
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(lib.toAbsolutePath() + File.separator + "*" + (extra == null ? "" : File.pathSeparator + extra));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Runs a command with this terminal's input and output; returns its exit status. */
  static int run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    Thread stop = new Thread(p::destroy);
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return p.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
  }
}
