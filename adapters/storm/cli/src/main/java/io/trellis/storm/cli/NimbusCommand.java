package io.trellis.storm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis storm nimbus}: Storm's Nimbus and the framework that runs its supervisors. */
@Command(name = "nimbus", mixinStandardHelpOptions = true,
    description = "Run Storm's Nimbus (in its own JVM) with the Trellis framework that launches supervisors as tasks.")
final class NimbusCommand implements Callable<Integer> {
  static final String MAIN = "io.trellis.storm.nimbus.NimbusMain";

  @Option(names = "--zk", description = "The cluster's ZooKeeper (default: $TRELLIS_ZK or zk://127.0.0.1:2181/trellis)")
  String zk = env("TRELLIS_ZK", "zk://127.0.0.1:2181/trellis");

  @Option(names = "--master", description = "The Trellis master, host:port or zk://... (default: found through --zk)")
  String master;

  @Option(names = "--storm-root", defaultValue = "/trellis-storm", description = "Storm's root in ZooKeeper (default: ${DEFAULT-VALUE})")
  String stormRoot;

  @Option(names = "--host", description = "The address supervisors and clients reach Nimbus at (default: 127.0.0.1 for a local ZooKeeper, else this host's name)")
  String host;

  @Option(names = "--port", defaultValue = "6627", description = "Nimbus' thrift port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--role", defaultValue = "storm", description = "Trellis role of the supervisors, storm.trellis.role (default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--local-dir", description = "Nimbus' state directory (default: /tmp/trellis-storm-nimbus)")
  Path localDir;

  @Option(names = "--slots-per-supervisor", defaultValue = "1", description = "Worker slots per supervisor task (default: ${DEFAULT-VALUE})")
  int slots;

  @Option(names = "--idle-grace-seconds", defaultValue = "60", description = "Stop a supervisor with no worker after this long (default: ${DEFAULT-VALUE})")
  int idleGrace;

  @Option(names = "--worker-mem-mb", defaultValue = "512", description = "Memory of a worker when its topology sets no topology.trellis.worker.mem.mb (default: ${DEFAULT-VALUE})")
  int workerMem;

  @Option(names = "--worker-cpu", defaultValue = "0.5", description = "Cpus of a worker when its topology sets no topology.trellis.worker.cpu (default: ${DEFAULT-VALUE})")
  double workerCpu;

  @Option(names = "--java-options", description = "Added to every supervisor and worker JVM")
  String javaOptions;

  @Option(names = "--class-archive", defaultValue = "on", description = "on: make a class-data archive of Storm's "
      + "classes once per install and start supervisors and workers with it (a faster start); off: without (default: ${DEFAULT-VALUE})")
  String classArchive;

  @Override
  public Integer call() throws Exception {
    Path lib;
    try {
      lib = StormLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis storm nimbus: " + e.getMessage());
      return 1;
    }
    List<String> args = new ArrayList<>(List.of("--zk", zk, "--storm-root", stormRoot, "--port", Integer.toString(port),
        "--role", role, "--slots-per-supervisor", Integer.toString(slots), "--idle-grace-seconds",
        Integer.toString(idleGrace), "--worker-mem-mb", Integer.toString(workerMem), "--worker-cpu",
        Double.toString(workerCpu), "--lib", lib.toAbsolutePath().toString()));
    add(args, "--master", master);
    add(args, "--host", host);
    add(args, "--local-dir", localDir == null ? null : localDir.toAbsolutePath().toString());
    add(args, "--java-options", javaOptions);
    add(args, "--class-archive", classArchive);
    List<String> jvm = javaOptions == null ? List.of() : List.of(javaOptions.trim().split("\\s+"));
    return StormLib.run(StormLib.java(lib, "768m", jvm, null, MAIN, args));
  }

  private static void add(List<String> args, String name, String value) {
    if (value != null) {
      args.add(name);
      args.add(value);
    }
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
