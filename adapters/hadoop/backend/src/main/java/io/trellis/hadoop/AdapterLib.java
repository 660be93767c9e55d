package io.trellis.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The adapter's class path, JVM and JVM flags, as this process has them. */
final class AdapterLib {
  static final String FLAGS = "io/trellis/hadoop/jvm-flags.txt";

  private AdapterLib() {}

  /** The directory holding this adapter's jar: the class path of every process it starts. */
  static Path ownLib() {
    try {
      return Path.of(AdapterLib.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the adapter's jar is: " + e.getMessage(), e);
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The JVM flags Hadoop needs on Java 17 (the same list {@code trellis hadoop} starts this JVM with). */
  static List<String> jvmFlags() {
    try (InputStream in = AdapterLib.class.getClassLoader().getResourceAsStream(FLAGS)) {
      if (in == null) {
        throw new IllegalStateException("the adapter's jar has no " + FLAGS);
      }
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")).map(String::trim)
          .filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
