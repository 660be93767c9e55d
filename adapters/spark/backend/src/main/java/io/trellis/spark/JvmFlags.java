package io.trellis.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags every Spark JVM (driver or executor) needs on Java 17+: the module openings of
 * Spark's launcher plus Netty's reflection switch. Kept in {@code jvm-flags.txt} beside this class
 * so that the {@code trellis spark} command, which carries no Spark jar, can read them from the
 * adapter's jar; a test checks the file against Spark's own list.
 */
public final class JvmFlags {
  public static final String RESOURCE = "io/trellis/spark/jvm-flags.txt";
  /**
   * The light JVM of a driver on Trellis, which runs no tasks: the client compiler only and the
   * serial collector leave the cpus to the executors. Read by the adapter's driver command and
   * by the {@code trellis spark} command from the adapter's jar, as {@link #RESOURCE} is.
   */
  public static final String DRIVER_RESOURCE = "io/trellis/spark/driver-jvm-flags.txt";

  private JvmFlags() {}

  public static List<String> all() {
    return read(RESOURCE);
  }

  /** The flags of a driver's light JVM ({@link #DRIVER_RESOURCE}). */
  public static List<String> lightDriver() {
    return read(DRIVER_RESOURCE);
  }

  private static List<String> read(String resource) {
    try (InputStream in = JvmFlags.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the adapter's jar");
      }
      return lines(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** One flag per non-blank line. */
  private static List<String> lines(InputStream in) throws IOException {
    return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
