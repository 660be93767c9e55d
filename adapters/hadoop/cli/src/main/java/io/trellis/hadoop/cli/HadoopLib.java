package io.trellis.hadoop.cli;

import io.trellis.plugin.AdapterJars;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The Hadoop adapter's jars (the class path of the ResourceManager, NodeManagers and YARN
 * clients, kept off the {@code trellis} class path; found as {@link AdapterJars} says, or through
 * {@code $TRELLIS_HADOOP_LIB}) and JVMs started on them.
 */
final class HadoopLib {
  static final String ADAPTER = "hadoop";
  static final String FLAGS = "io/trellis/hadoop/jvm-flags.txt";

  private HadoopLib() {}

  static Path locate() {
    return AdapterJars.locate(ADAPTER, HadoopLib.class);
  }

  /** Hadoop's JVM flags on Java 17, read from the adapter's jar so that this command needs no Hadoop class. */
  static List<String> jvmFlags(Path lib) {
    try {
      Path jar = AdapterJars.adapterJar(lib, ADAPTER);
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
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap));
    cmd.addAll(jvmFlags(lib));
    String extra = System.getenv("TRELLIS_HADOOP_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    List<String> cp = new ArrayList<>(extraClassPath);
    cp.add(lib.toAbsolutePath() + File.separator + "*");
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), mainClass));
    cmd.addAll(args);
    return AdapterJars.run(cmd);
  }
}
