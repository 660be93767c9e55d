package io.trellis.hadoop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code trellis hadoop resourcemanager [options]}: starts the ResourceManager and its Trellis
 * framework in a JVM on the adapter's class path; the options are that JVM's (see {@code --help}).
 */
@Command(name = "resourcemanager",
    description = "Run a YARN ResourceManager whose NodeManagers are Trellis tasks (options: trellis hadoop resourcemanager --help).")
final class ResourceManagerCommand implements Callable<Integer> {
  static final String MAIN = "io.trellis.hadoop.ResourceManagerMain";

  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path lib;
    try {
      lib = HadoopLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis hadoop resourcemanager: " + e.getMessage());
      return 1;
    }
    String heap = System.getenv().getOrDefault("TRELLIS_HADOOP_RM_HEAP", "768m");
    return HadoopLib.run(lib, heap, List.of(), MAIN, args);
  }
}
