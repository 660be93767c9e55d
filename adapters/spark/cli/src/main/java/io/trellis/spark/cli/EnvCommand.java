package io.trellis.spark.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trellis spark env}: what Apache Spark's own {@code spark-submit} needs to run an
 * application on this cluster: the master written the way it accepts ({@code spark+trellis://}),
 * and the backend jar (the adapter with the Trellis client, relocated, in one jar).
 */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = {"Print what to add to Apache Spark's own spark-submit (client deploy mode) to run on Trellis:",
        "the master URL and the backend jar, as options, as spark-defaults.conf lines, or (--args) as one line:",
        "  spark-submit $(trellis spark env --args) --class Main app.jar"})
final class EnvCommand implements Callable<Integer> {
  /** The master URL prefix stock {@code spark-submit} lets through (the backend's {@code MasterUrl.SUBMIT_PREFIX}). */
  static final String SUBMIT_PREFIX = "spark+trellis://";
  static final String BACKEND_JAR = "trellis-spark-backend-";

  @Option(names = "--master", description = "host:port, zk://host:port/path or trellis://... (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = SparkCommand.defaultMaster();

  @Option(names = "--role", description = "The role applications subscribe with (spark.trellis.role; default: the backend's, spark).")
  String role;

  @Option(names = "--args", description = "Print only the spark-submit options, on one line.")
  boolean argsOnly;

  @Override
  public Integer call() {
    String address = SparkCommand.clusterAddress(master.startsWith(SUBMIT_PREFIX)
        ? master.substring(SUBMIT_PREFIX.length()) : master);
    String problem = problem(address);
    if (problem != null) {
      System.err.println("trellis spark env: " + problem);
      return 2;
    }
    if (role != null && !role.matches("[A-Za-z0-9_.-]+")) {
      System.err.println("trellis spark env: --role '" + role + "' is not a role name (letters, digits, '_', '.', '-')");
      return 2;
    }
    Path jar;
    try {
      jar = backendJar(SparkLib.locate());
    } catch (IllegalStateException e) {
      System.err.println("trellis spark env: " + e.getMessage());
      return 1;
    }
    String url = SUBMIT_PREFIX + address;
    List<String> options = new ArrayList<>(List.of("--master", url, "--jars", jar.toString()));
    if (role != null) {
      options.addAll(List.of("--conf", "spark.trellis.role=" + role));
    }
    if (argsOnly) {
      System.out.println(String.join(" ", options));
      return 0;
    }
    System.out.println("# Apache Spark's own spark-submit (Spark 4.2, client deploy mode) on Trellis at " + address + ".");
    System.out.println("# spark-submit refuses trellis:// masters; it takes the same address written " + SUBMIT_PREFIX + ".");
    System.out.println("# Add to the spark-submit command line:");
    System.out.println(String.join(" ", options));
    System.out.println("# or to $SPARK_HOME/conf/spark-defaults.conf:");
    System.out.println("spark.master " + url);
    System.out.println("spark.jars " + jar);
    if (role != null) {
      System.out.println("spark.trellis.role " + role);
    }
    System.out.println("# or copy " + jar.getFileName() + " into $SPARK_HOME/jars/ and leave out --jars (spark.jars).");
    System.out.println("# Executors start on the agents with $SPARK_HOME/conf:$SPARK_HOME/jars/* of the driver's SPARK_HOME;");
    System.out.println("# where the agents have Spark elsewhere add --conf 'spark.trellis.executor.classpath=/opt/spark/jars/*'.");
    System.out.println("# Cluster deploy mode is not possible with spark-submit: use trellis spark submit --deploy-mode cluster.");
    return 0;
  }

  /** What is wrong with a cluster address, or null: host:port with a port from 1 to 65535, or zk://hosts/path. */
  static String problem(String address) {
    if (address.startsWith("zk://")) {
      return address.length() > 5 && address.indexOf('/', 5) > 5 ? null
          : "--master '" + address + "': a ZooKeeper address needs hosts and a path, as in zk://127.0.0.1:2181/trellis";
    }
    int colon = address.lastIndexOf(':');
    String port = colon < 0 ? "" : address.substring(colon + 1);
    if (colon <= 0 || address.contains("/") || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      return "--master '" + address + "' is not host:port with a port from 1 to 65535 (nor zk://host:port/path)";
    }
    return null;
  }

  /**
   * The backend jar beside the adapter's lib directory ({@code adapters/spark/backend/target} in a
   * source tree) or in its {@code backend/} folder ({@code lib/spark/backend} of a release): never
   * in the lib directory itself, where its classes would be on drivers' class path twice.
   */
  static Path backendJar(Path lib) {
    Path beside = lib.toAbsolutePath().normalize().getParent();
    Path inside = lib.toAbsolutePath().normalize().resolve("backend");
    for (Path dir : List.of(inside, beside)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        java.util.Optional<Path> jar = files.filter(f -> f.getFileName().toString().startsWith(BACKEND_JAR)
            && f.getFileName().toString().endsWith(".jar")).findFirst();
        if (jar.isPresent()) {
          return jar.get();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalStateException("no " + BACKEND_JAR + "*.jar in " + inside + " nor in " + beside
        + "; build it with 'mvn -pl adapters/spark/backend -am package -DskipTests'");
  }

}
