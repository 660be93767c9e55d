package io.trellis.hadoop.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where the Hadoop adapter's jars are (the class path of the ResourceManager, NodeManagers and
 * YARN clients, kept off the {@code trellis} class path): {@code $TRELLIS_HADOOP_LIB}, else
 * {@code hadoop/} beside this jar (an install), else the adapter's build output in the source
 * tree, seen from this jar in {@code distribution/target/lib} or in {@code adapters/hadoop/cli/target}.
 */
final class HadoopLib {
  static final String MARKER_PREFIX = "trellis-hadoop-0";
  static final String FLAGS = "io/trellis/hadoop/jvm-flags.txt";

  private HadoopLib() {}

  static Path locate() {
    String env = System.getenv("TRELLIS_HADOOP_LIB");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (holdsAdapter(p)) {
        return p;
      }
      throw new IllegalStateException("TRELLIS_HADOOP_LIB=" + env + " holds no trellis-hadoop jar");
    }
    List<Path> tried = new ArrayList<>();
    Optional<Path> jarDir = jarDir();
    if (jarDir.isPresent()) {
      Path dir = jarDir.get();
      for (Path candidate : List.of(dir.resolve("hadoop"),
          dir.resolve("../../../adapters/hadoop/backend/target/lib").normalize(),
          dir.resolve("../../backend/target/lib").normalize())) {
        tried.add(candidate);
        if (holdsAdapter(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("the Hadoop adapter's jars were not found (looked in " + tried
        + "); build them with 'mvn -pl adapters/hadoop/backend -am package -DskipTests' or set TRELLIS_HADOOP_LIB");
  }

  static String classPath(Path lib) {
    return lib.toAbsolutePath() + File.separator + "*";
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Hadoop's JVM flags on Java 17, read from the adapter's jar so that this command needs no Hadoop class. */
  static List<String> jvmFlags(Path lib) {
    try {
      Path jar;
      try (var files = Files.list(lib)) {
        jar = files.filter(f -> f.getFileName().toString().startsWith(MARKER_PREFIX)
            && f.getFileName().toString().endsWith(".jar")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no trellis-hadoop jar in " + lib));
      }
      try (JarFile j = new JarFile(jar.toFile())) {
        JarEntry e = j.getJarEntry(FLAGS);
        if (e == null) {
          throw new IllegalStateException(jar + " has no " + FLAGS);
        }
        try (InputStream in = j.getInputStream(e)) {
          return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
              .map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read Hadoop's JVM flags from " + lib + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a JVM on the adapter's class path (plus {@code extraClassPath} first), with Hadoop's
   * flags and {@code $TRELLIS_HADOOP_JAVA_OPTS}, and returns its exit code.
   */
  static int run(Path lib, String heap, List<String> extraClassPath, String mainClass, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap));
    cmd.addAll(jvmFlags(lib));
    String extra = System.getenv("TRELLIS_HADOOP_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    List<String> cp = new ArrayList<>(extraClassPath);
    cp.add(classPath(lib));
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), mainClass));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    Thread stop = new Thread(p::destroy);
    Runtime.getRuntime().addShutdownHook(stop);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway.
    }
    return code;
  }

  private static boolean holdsAdapter(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(MARKER_PREFIX));
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<Path> jarDir() {
    try {
      Path self = Path.of(HadoopLib.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Optional.ofNullable(self.getParent());
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
