package io.trellis.spark.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis spark submit}: runs a Spark application in a separate JVM on the adapter's class
 * path. Client mode keeps the driver on this machine with its output here; cluster mode starts
 * the driver as a Trellis task and prints its id for {@code status} and {@code kill}.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit a Spark application to Trellis.")
final class SubmitCommand implements Callable<Integer> {
  static final String IN_PROCESS = "trellis.spark.inProcess";
  /** The adapter's switch for the class-data archive of drivers and executors (default true). */
  static final String CLASS_DATA_SHARING = "spark.trellis.classDataSharing";
  /** The adapter's switch for the light JVM of drivers on Trellis (default true). */
  static final String LIGHT_JVM = "spark.trellis.driver.lightJvm";

  @Option(names = "--master", description = "trellis://host:port or trellis://zk://host:port/path (default: trellis://$TRELLIS_MASTER or trellis://127.0.0.1:5050)")
  String master;

  @Option(names = "--deploy-mode", defaultValue = "client", description = "client (driver here) or cluster (driver as a Trellis task); default ${DEFAULT-VALUE}")
  String deployMode;

  @Option(names = "--class", required = true, description = "The application's main class.")
  String mainClass;

  @Option(names = "--name", description = "Application name (spark.app.name).")
  String name;

  @Option(names = "--conf", description = "A Spark setting key=value; repeatable. spark.trellis.role selects the role (default spark).")
  List<String> conf = new ArrayList<>();

  @Option(names = "--driver-memory", description = "Driver heap, e.g. 1g.")
  String driverMemory;

  @Option(names = "--executor-memory", description = "Executor heap, e.g. 1g.")
  String executorMemory;

  @Option(names = "--executor-cores", description = "Cores per executor.")
  Integer executorCores;

  @Option(names = "--total-executor-cores", description = "spark.cores.max: cores of all executors together.")
  Integer totalCores;

  @Option(names = "--num-executors", description = "spark.executor.instances (without dynamic allocation).")
  Integer numExecutors;

  @Option(names = "--jars", description = "More jars for the driver and executors, comma-separated.")
  String jars;

  @Option(names = "--wait", description = "Cluster mode: wait for the driver to end and exit with its result.")
  boolean waitForDriver;

  @Parameters(index = "0", paramLabel = "JAR", description = "The application jar (a path readable by the driver; in cluster mode on the agents, or an http(s) URL).")
  String jar;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "The application's arguments.")
  List<String> appArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!deployMode.equals("client") && !deployMode.equals("cluster")) {
      System.err.println("trellis spark submit: --deploy-mode must be client or cluster, not '" + deployMode + "'");
      return 2;
    }
    if (!jar.startsWith("http://") && !jar.startsWith("https://") && !Files.isReadable(Path.of(jar))) {
      System.err.println("trellis spark submit: application jar " + jar + " is not a readable file");
      return 2;
    }
    Path lib;
    try {
      lib = SparkLib.locate();
    } catch (IllegalStateException e) {
      System.err.println("trellis spark submit: " + e.getMessage());
      return 1;
    }
    List<String> cmd;
    try {
      cmd = command(lib);
    } catch (IllegalStateException e) {
      System.err.println("trellis spark submit: " + e.getMessage());
      return 1;
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    // spark-submit's JVM (and a cluster-mode driver after it) calls the master with these settings.
    pb.environment().putAll(io.trellis.security.ClientSecurity.fromEnvironment().environment());
    pb.environment().put("TRELLIS_SPARK_LIB", lib.toAbsolutePath().toString());
    if (deployMode.equals("client") && loopbackMaster() && !pb.environment().containsKey("SPARK_LOCAL_IP")) {
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    }
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    return p.waitFor();
  }

  /**
   * Client mode: one JVM with Spark's flags, the driver's heap and the application jar, in which
   * the adapter's submit entry point runs the driver. Cluster mode: a small JVM that launches the
   * driver as a Trellis task.
   */
  List<String> command(Path lib) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    if (deployMode.equals("client")) {
      cmd.add("-Xmx" + driverHeap());
      List<String> flags = SparkLib.jvmFlags(lib);
      cmd.addAll(flags);
      if (!"false".equals(confValue(CLASS_DATA_SHARING))) {
        cmd.addAll(SparkLib.classArchiveOptions(lib, flags, line -> System.err.println("trellis spark submit: " + line)));
      }
      if (!"false".equals(confValue(LIGHT_JVM))) {
        cmd.addAll(SparkLib.lightDriverFlags(lib));
      }
      String extra = confValue("spark.driver.extraJavaOptions");
      if (extra != null && !extra.isBlank()) {
        cmd.addAll(List.of(extra.trim().split("\\s+")));
      }
      cmd.add("-D" + IN_PROCESS + "=true");
      cmd.addAll(List.of("-cp", SparkLib.classPath(lib) + File.pathSeparator + Path.of(jar).toAbsolutePath()));
    } else {
      cmd.addAll(List.of("-Xmx256m", "-cp", SparkLib.classPath(lib)));
    }
    cmd.add("io.trellis.spark.submit.Submit");
    cmd.addAll(submitArgs());
    return cmd;
  }

  private String driverHeap() {
    if (driverMemory != null) {
      return driverMemory;
    }
    String conf = confValue("spark.driver.memory");
    return conf == null ? "1g" : conf;
  }

  /** The last {@code --conf key=value} for the key, or null. */
  private String confValue(String key) {
    String value = null;
    for (String c : conf) {
      if (c.startsWith(key + "=")) {
        value = c.substring(key.length() + 1);
      }
    }
    return value;
  }

  private boolean loopbackMaster() {
    String m = SparkCommand.clusterAddress(master != null ? master : SparkCommand.defaultMaster());
    String hosts = m.startsWith("zk://") ? m.substring(5) : m;
    return hosts.startsWith("127.") || hosts.startsWith("localhost");
  }

  /** The arguments of the adapter's submit entry point. */
  List<String> submitArgs() {
    List<String> a = new ArrayList<>();
    String m = master != null ? master : "trellis://" + SparkCommand.defaultMaster();
    a.addAll(List.of("--master", m.startsWith("trellis://") ? m : "trellis://" + m, "--deploy-mode", deployMode,
        "--class", mainClass));
    Map<String, Object> named = new java.util.LinkedHashMap<>();
    named.put("--name", name);
    named.put("--driver-memory", driverMemory);
    named.put("--executor-memory", executorMemory);
    named.put("--executor-cores", executorCores);
    named.put("--total-executor-cores", totalCores);
    named.put("--num-executors", numExecutors);
    named.put("--jars", jars);
    named.forEach((k, v) -> {
      if (v != null) {
        a.add(k);
        a.add(v.toString());
      }
    });
    for (String c : conf) {
      a.add("--conf");
      a.add(c);
    }
    if (waitForDriver) {
      a.add("--wait");
    }
    a.add(Path.of(jar).toString().startsWith("http") ? jar : Path.of(jar).toAbsolutePath().toString());
    a.addAll(appArgs);
    return a;
  }
}
