package io.trellis.cli;

import io.trellis.plugin.TrellisPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trellis} command. */
@Command(name = "trellis", mixinStandardHelpOptions = true, version = "trellis 0.1.0",
    description = "Trellis: a shared cluster resource allocator for mixed workloads.",
    subcommands = {LocalCommand.class, MasterCommand.class, AgentCommand.class, RunCommand.class,
        StateCommand.class, SecurityCommand.class, ZooKeeperCommand.class, CommandLine.HelpCommand.class})
public final class Trellis implements Runnable {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final java.util.logging.Logger JERSEY_PROVIDERS =
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    commonPoolParallelism();
    // Jersey and Grizzly log through java.util.logging: keep them to warnings.
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    // Resources registered as instances draw a harmless provider warning from Jersey.
    JERSEY_PROVIDERS.setLevel(java.util.logging.Level.SEVERE);
    CommandLine cli = commandLine();
    java.nio.file.Path config = configFile(args);
    if (config != null) {
      if (!java.nio.file.Files.isReadable(config)) {
        System.err.println("trellis: cannot read the config file " + config);
        System.exit(2);
      }
      cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config.toFile()));
    }
    int code = withErrorMessages(cli).execute(args);
    System.exit(code);
  }

  /** A failing command prints one line saying what went wrong (and what to do), never a stack trace. */
  static CommandLine withErrorMessages(CommandLine cli) {
    return cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("trellis " + cmd.getCommandName() + ": " + message(e));
      return 1;
    });
  }

  /**
   * On a machine with two cores the common pool has one thread, and CompletableFuture then
   * starts a new thread for every asynchronous step, which the JDK's HTTP client takes for each
   * request it completes: thousands of threads a second under load. A few pool threads instead.
   * Must run before anything touches the common pool.
   */
  static void commonPoolParallelism() {
    String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(key) == null) {
      System.setProperty(key, Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
  }

  /** The {@code trellis} command with the subcommands of every plugin on the class path. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Trellis());
    for (TrellisPlugin plugin : plugins()) {
      for (Object command : plugin.commands()) {
        cli.addSubcommand(command);
      }
    }
    return cli;
  }

  static List<TrellisPlugin> plugins() {
    List<TrellisPlugin> found = new ArrayList<>();
    ServiceLoader.load(TrellisPlugin.class).forEach(found::add);
    return found;
  }

  /** The file named by {@code --config FILE} or {@code --config=FILE}, if any. */
  static java.nio.file.Path configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return java.nio.file.Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return java.nio.file.Path.of(args[i].substring("--config=".length()));
      }
    }
    return null;
  }

  static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** Server commands log at INFO; client commands stay quiet unless TRELLIS_LOG_LEVEL says otherwise. */
  static void serverLogging() {
    if (System.getenv("TRELLIS_LOG_LEVEL") == null && System.getProperty("TRELLIS_LOG_LEVEL") == null) {
      System.setProperty("TRELLIS_LOG_LEVEL", "INFO");
    }
  }

  static String defaultMaster() {
    String env = System.getenv("TRELLIS_MASTER");
    return env == null || env.isBlank() ? "127.0.0.1:5050" : env;
  }
}
