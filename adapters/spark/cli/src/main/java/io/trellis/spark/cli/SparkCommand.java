package io.trellis.spark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trellis spark}: Spark applications on the cluster. */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Run Spark applications on Trellis: executors (and cluster-mode drivers) are Trellis tasks.",
    subcommands = {SubmitCommand.class, StatusCommand.class, KillCommand.class, EnvCommand.class})
public final class SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code $TRELLIS_MASTER} or the local default, in the form the client library takes. */
  static String defaultMaster() {
    String m = System.getenv("TRELLIS_MASTER");
    return m == null || m.isBlank() ? "127.0.0.1:5050" : m;
  }

  /** {@code trellis://x} and {@code x} both name the cluster at {@code x}. */
  static String clusterAddress(String master) {
    return master.startsWith("trellis://") ? master.substring("trellis://".length()) : master;
  }
}
