package io.trellis.spark.submit;

import io.trellis.spark.MasterUrl;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a Spark application on Trellis, the process behind {@code trellis spark submit}. In client
 * mode the driver is a child JVM of this one, its output on this terminal; in cluster mode the
 * driver is a Trellis task launched by {@link ClusterSubmission}. A {@code local[N]} master runs
 * the same way in client mode (for comparisons). Exit status: the driver's in
 * client mode (and in cluster mode with {@code --wait}), 0 once a cluster driver runs, 2 for bad
 * arguments.
 */
public final class Submit {
  private Submit() {}

  public static void main(String[] argv) throws Exception {
    SubmitArgs app;
    try {
      app = SubmitArgs.parse(Arrays.asList(argv));
      if (!app.master().startsWith("local") || app.cluster()) {
        MasterUrl.parse(app.master());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("trellis spark submit: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status = app.cluster() ? new ClusterSubmission(app, System.out).run() : runClient(app);
    System.exit(status);
  }

  /** Runs the driver in a child JVM with this terminal; returns its exit status. */
  static int runClient(SubmitArgs app) throws Exception {
    Path jar = Path.of(app.jar());
    if (!Files.isReadable(jar)) {
      System.err.println("trellis spark submit: application jar " + app.jar() + " is not a readable file");
      return 2;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String host = driverHost(app);
    List<String> cmd = DriverCommand.argv(java, classPath(), app, jar.toAbsolutePath().toString(),
        host == null ? Map.of() : Map.of("spark.driver.host", host));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    if (host != null) {
      pb.environment().put("SPARK_LOCAL_IP", host);
    }
    Process driver = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(driver::destroy));
    return driver.waitFor();
  }

  /** The adapter's class path: {@code $TRELLIS_SPARK_LIB/*} or this JVM's own. */
  static String classPath() {
    String lib = System.getenv("TRELLIS_SPARK_LIB");
    return lib != null && !lib.isBlank() ? lib + File.separator + "*" : System.getProperty("java.class.path");
  }

  /**
   * Where executors reach the driver: {@code spark.driver.host}, else {@code SPARK_LOCAL_IP}, else
   * the loopback address when the cluster's master is on loopback (a one-machine cluster), else
   * Spark's default (this host's name).
   */
  static String driverHost(SubmitArgs app) {
    if (app.conf().containsKey("spark.driver.host") || !MasterUrl.matches(app.master())) {
      return null;
    }
    String ip = System.getenv("SPARK_LOCAL_IP");
    if (ip != null && !ip.isBlank()) {
      return ip;
    }
    String spec = MasterUrl.parse(app.master()).detectorSpec();
    String hosts = spec.startsWith("zk://") ? spec.substring(5) : spec;
    return hosts.startsWith("127.") || hosts.startsWith("localhost") ? "127.0.0.1" : null;
  }
}
