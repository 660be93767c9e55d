package io.trellis.storm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trellis storm}: Storm topologies on the cluster. */
@Command(name = "storm", mixinStandardHelpOptions = true,
    description = "Run Storm topologies on Trellis: Nimbus beside a framework whose tasks are Storm supervisors.",
    subcommands = {NimbusCommand.class, JarCommand.class, ListCommand.class, KillCommand.class,
        RebalanceCommand.class, EnvCommand.class})
public final class StormCommand implements Callable<Integer> {
  static final String ADMIN = "io.trellis.storm.client.StormAdmin";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code $TRELLIS_STORM_NIMBUS} or the local default. */
  static String defaultNimbus() {
    String n = System.getenv("TRELLIS_STORM_NIMBUS");
    return n == null || n.isBlank() ? "127.0.0.1:6627" : n;
  }

  /** Runs Storm's client against Nimbus in a separate JVM; a missing adapter is a clear error. */
  static int admin(String command, String nimbus, List<String> args) throws Exception {
    Path lib;
    try {
      lib = StormLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis storm " + command + ": " + e.getMessage());
      return 1;
    }
    List<String> all = new java.util.ArrayList<>(List.of(nimbus, command));
    all.addAll(args);
    return StormLib.run(StormLib.java(lib, "256m", List.of(), null, ADMIN, all));
  }
}
