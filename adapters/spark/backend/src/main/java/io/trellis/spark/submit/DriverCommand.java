package io.trellis.spark.submit;

import io.trellis.spark.JvmFlags;
import io.trellis.spark.MasterUrl;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM command line of a driver: Spark's JVM flags, the settings as {@code spark.*} system
 * properties (which {@code SparkConf} reads), the adapter's class path plus the application jar,
 * and the main class with its arguments.
 */
final class DriverCommand {
  /** Turns the scheduler-only JVM of a driver on Trellis off ({@code true} by default). */
  static final String LIGHT_JVM = "spark.trellis.driver.lightJvm";
  private DriverCommand() {}

  static List<String> argv(String java, String classPath, SubmitArgs app, String jarOnDriver,
      Map<String, String> extraConf) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + app.conf().getOrDefault("spark.driver.memory", "1g"));
    cmd.addAll(JvmFlags.all());
    if (MasterUrl.matches(app.master()) && !"false".equals(app.conf().get(LIGHT_JVM))) {
      cmd.addAll(JvmFlags.lightDriver());
    }
    String extra = app.conf().get("spark.driver.extraJavaOptions");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    for (Map.Entry<String, String> c : app.conf().entrySet()) {
      cmd.add("-D" + c.getKey() + "=" + c.getValue());
    }
    for (Map.Entry<String, String> c : extraConf.entrySet()) {
      cmd.add("-D" + c.getKey() + "=" + c.getValue());
    }
    cmd.add("-Dspark.jars=" + join(app.conf().get("spark.jars"), jarOnDriver));
    cmd.add("-cp");
    cmd.add(classPath + File.pathSeparator + jarOnDriver);
    cmd.add(app.mainClass());
    cmd.addAll(app.appArgs());
    return cmd;
  }

  private static String join(String jars, String jar) {
    return jars == null || jars.isBlank() ? jar : jars + "," + jar;
  }

  /** One shell word. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
