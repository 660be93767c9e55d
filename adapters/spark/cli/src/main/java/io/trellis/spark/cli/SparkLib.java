package io.trellis.spark.cli;

import io.trellis.plugin.AdapterJars;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.nio.file.Path;
import java.util.List;

/**
 * The Spark adapter's jars (the class path of drivers and executors, kept off the {@code trellis}
 * class path; found as {@link AdapterJars} says, or through {@code $TRELLIS_SPARK_LIB}) and the
 * JVM flags and class-data archive read from them.
 */
final class SparkLib {
  static final String FLAGS = "io/trellis/spark/jvm-flags.txt";
  /** The flags of a driver's light JVM, in the adapter's jar (its {@code JvmFlags.DRIVER_RESOURCE}). */
  static final String DRIVER_FLAGS = "io/trellis/spark/driver-jvm-flags.txt";
  static final String CLASS_ARCHIVE = "io.trellis.spark.cds.ClassArchive";

  private SparkLib() {}

  static Path locate() {
    return AdapterJars.locate("spark", SparkLib.class);
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
    return AdapterJars.adapterJar(lib, "spark");
  }
}
