package io.trellis.storm.cli;

import io.trellis.plugin.AdapterJars;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Storm adapter's class path (kept off the {@code trellis} class path, found as
 * {@link AdapterJars} finds every adapter's: {@code $TRELLIS_STORM_LIB}, {@code storm/} beside this
 * jar, or {@code adapters/storm/backend/target/lib}), and JVMs started on it.
 */
final class StormLib {
  private StormLib() {}

  static Path locate() {
    return AdapterJars.locate("storm", StormLib.class);
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
    return AdapterJars.run(cmd);
  }
}
