package io.trellis.spark.submit;

import io.trellis.spark.JvmFlags;
import io.trellis.spark.MasterUrl;
import io.trellis.spark.cds.ClassArchive;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
  /**
   * Set by {@code trellis spark submit}, which starts this JVM with Spark's flags, the driver's
   * heap and the application jar on the class path: the driver then runs in this JVM.
   */
  public static final String IN_PROCESS = "trellis.spark.inProcess";

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
    int status;
    if (app.cluster()) {
      status = new ClusterSubmission(app, System.out).run();
    } else if (Boolean.getBoolean(IN_PROCESS)) {
      status = runInProcess(app);
    } else {
      status = runClient(app);
    }
    System.exit(status);
  }

  /** Runs the application's main class in this JVM, its settings as system properties. */
  static int runInProcess(SubmitArgs app) {
    Path jar = Path.of(app.jar()).toAbsolutePath();
    String host = driverHost(app);
    if (host != null) {
      System.setProperty("spark.driver.host", host);
    }
    app.conf().forEach(System::setProperty);
    String jars = app.conf().get("spark.jars");
    System.setProperty("spark.jars", jars == null || jars.isBlank() ? jar.toString() : jars + "," + jar);
    Method main;
    try {
      main = Class.forName(app.mainClass()).getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println("trellis spark submit: no class " + app.mainClass() + " with a main method in "
          + app.jar() + " or the Spark class path");
      return 2;
    }
    try {
      main.invoke(null, (Object) app.appArgs().toArray(new String[0]));
      return 0;
    } catch (InvocationTargetException e) {
      System.err.println("trellis spark submit: the application failed: " + e.getCause());
      return 1;
    } catch (IllegalAccessException e) {
      System.err.println("trellis spark submit: " + app.mainClass() + ".main is not public");
      return 2;
    }
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
    String lib = System.getenv("TRELLIS_SPARK_LIB");
    if (lib != null && !lib.isBlank() && !"false".equals(app.conf().get(ClassArchive.ENABLED))) {
      cmd.addAll(1, ClassArchive.ensure(lib, System.getProperty("java.home"), JvmFlags.all(),
          line -> System.err.println("trellis spark submit: " + line)));
    }
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
