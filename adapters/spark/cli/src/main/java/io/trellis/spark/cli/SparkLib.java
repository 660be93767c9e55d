package io.trellis.spark.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the Spark adapter's jars are (the class path of drivers and executors, kept off the
 * {@code trellis} class path): {@code $TRELLIS_SPARK_LIB}, else {@code spark/} beside this jar
 * (an install), else the adapter's build output in the source tree, seen from this jar in
 * {@code distribution/target/lib} or in {@code adapters/spark/cli/target}.
 */
final class SparkLib {
  static final String MARKER_PREFIX = "trellis-spark-0";
  static final String FLAGS = "io/trellis/spark/jvm-flags.txt";
  /** The flags of a driver's light JVM, in the adapter's jar (its {@code JvmFlags.DRIVER_RESOURCE}). */
  static final String DRIVER_FLAGS = "io/trellis/spark/driver-jvm-flags.txt";
  static final String CLASS_ARCHIVE = "io.trellis.spark.cds.ClassArchive";

  private SparkLib() {}

  static Path locate() {
    List<Path> tried = new ArrayList<>();
    String env = System.getenv("TRELLIS_SPARK_LIB");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (holdsAdapter(p)) {
        return p;
      }
      throw new IllegalStateException("TRELLIS_SPARK_LIB=" + env + " holds no trellis-spark jar");
    }
    Optional<Path> jarDir = jarDir();
    if (jarDir.isPresent()) {
      Path dir = jarDir.get();
      for (Path candidate : List.of(dir.resolve("spark"),
          dir.resolve("../../../adapters/spark/backend/target/lib").normalize(),
          dir.resolve("../../backend/target/lib").normalize())) {
        tried.add(candidate);
        if (holdsAdapter(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("the Spark adapter's jars were not found (looked in " + tried
        + "); build them with 'mvn -pl adapters/spark/backend -am package -DskipTests' or set TRELLIS_SPARK_LIB");
  }

  /** The class path of a JVM running the adapter. */
  static String classPath(Path lib) {
    return lib.toAbsolutePath() + File.separator + "*";
  }

  /**
   * Spark's JVM flags, read from the adapter's jar ({@code io/trellis/spark/jvm-flags.txt}) so
   * that this command needs no Spark class.
   */
  static List<String> jvmFlags(Path lib) {
    return flags(lib, FLAGS);
  }

  /** The flags of a driver's light JVM on Trellis, from the adapter's jar in {@code lib}. */
  static List<String> lightDriverFlags(Path lib) {
    return flags(lib, DRIVER_FLAGS);
  }

  private static List<String> flags(Path lib, String resource) {
    try {
      Path jar = adapterJar(lib);
      try (JarFile j = new JarFile(jar.toFile())) {
        JarEntry e = j.getJarEntry(resource);
        if (e == null) {
          throw new IllegalStateException(jar + " has no " + resource);
        }
        try (InputStream in = j.getInputStream(e)) {
          return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
              .map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read Spark's JVM flags from " + lib + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JVM options that start a driver with the class-data archive of {@code lib} (made on first
   * use; see the adapter's {@code io.trellis.spark.cds.ClassArchive}, called from the adapter's jar
   * alone since it needs no Spark class); none when it cannot be made.
   */
  static List<String> classArchiveOptions(Path lib, List<String> jvmFlags, java.util.function.Consumer<String> report) {
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
        new java.net.URL[] {adapterJar(lib).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      java.lang.reflect.Method ensure = loader.loadClass(CLASS_ARCHIVE).getMethod("ensure", String.class,
          String.class, List.class, java.util.function.Consumer.class);
      @SuppressWarnings("unchecked")
      List<String> options = (List<String>) ensure.invoke(null, lib.toAbsolutePath().toString(),
          System.getProperty("java.home"), jvmFlags, report);
      return options;
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      report.accept("no class-data archive for the driver (" + e + ")");
      return List.of();
    }
  }

  private static Path adapterJar(Path lib) throws IOException {
    try (var files = Files.list(lib)) {
      return files.filter(f -> f.getFileName().toString().startsWith(MARKER_PREFIX)
          && f.getFileName().toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no trellis-spark jar in " + lib));
    }
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
      Path self = Path.of(SparkLib.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Optional.ofNullable(self.getParent());
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
