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

  private JvmFlags() {}

  public static List<String> all() {
    try (InputStream in = JvmFlags.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the adapter's jar");
      }
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::trim).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
