package io.trellis.hadoop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trellis hadoop}: a YARN cluster whose NodeManagers are Trellis tasks. */
@Command(name = "hadoop", mixinStandardHelpOptions = true,
    description = "Run Hadoop YARN on Trellis: a ResourceManager whose NodeManagers are Trellis tasks that flex with demand.",
    subcommands = {ResourceManagerCommand.class, FlexUpCommand.class, FlexDownCommand.class, StatusCommand.class,
        JarCommand.class, EnvCommand.class, ShutdownCommand.class})
public final class HadoopCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code $TRELLIS_HADOOP} or the local default: where the ResourceManager's control API is. */
  static String defaultControl() {
    String m = System.getenv("TRELLIS_HADOOP");
    return m == null || m.isBlank() ? "127.0.0.1:8090" : m;
  }
}
