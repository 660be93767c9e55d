package io.trellis.spark.submit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spark application to run, as {@code trellis spark submit} takes it: the spark-submit options
 * that matter on Trellis, then the application jar and its arguments.
 *
 * @param conf every Spark setting, the named options included ({@code spark.master},
 *     {@code spark.app.name}, {@code spark.executor.memory}, ...)
 * @param waitForDriver in cluster mode, whether to wait for the driver to end
 */
public record SubmitArgs(String master, String deployMode, String mainClass, String jar,
    List<String> appArgs, Map<String, String> conf, boolean waitForDriver) {

  public SubmitArgs {
    appArgs = List.copyOf(appArgs);
    conf = Map.copyOf(conf);
  }

  public boolean cluster() {
    return "cluster".equals(deployMode);
  }

  public String appName() {
    return conf.getOrDefault("spark.app.name", mainClass);
  }

  /** Parses spark-submit style arguments; the message of a failure names the bad argument. */
  public static SubmitArgs parse(List<String> args) {
    Map<String, String> conf = new LinkedHashMap<>();
    String master = null;
    String mode = "client";
    String mainClass = null;
    boolean wait = false;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      String opt = args.get(i);
      if (opt.equals("--wait")) {
        wait = true;
        i++;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("option " + opt + " needs a value");
      }
      String v = args.get(i + 1);
      switch (opt) {
        case "--master" -> master = v;
        case "--deploy-mode" -> {
          if (!v.equals("client") && !v.equals("cluster")) {
            throw new IllegalArgumentException("--deploy-mode must be client or cluster, not '" + v + "'");
          }
          mode = v;
        }
        case "--class" -> mainClass = v;
        case "--name" -> conf.put("spark.app.name", v);
        case "--driver-memory" -> conf.put("spark.driver.memory", v);
        case "--driver-cores" -> conf.put("spark.driver.cores", v);
        case "--executor-memory" -> conf.put("spark.executor.memory", v);
        case "--executor-cores" -> conf.put("spark.executor.cores", v);
        case "--total-executor-cores" -> conf.put("spark.cores.max", v);
        case "--num-executors" -> conf.put("spark.executor.instances", v);
        case "--jars" -> conf.put("spark.jars", v);
        case "--conf" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--conf needs key=value, not '" + v + "'");
          }
          conf.put(v.substring(0, eq), v.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + opt);
      }
      i += 2;
    }
    if (master == null) {
      master = conf.get("spark.master");
    }
    if (master == null) {
      throw new IllegalArgumentException("--master is required, as in --master trellis://127.0.0.1:5050");
    }
    if (mainClass == null) {
      throw new IllegalArgumentException("--class is required: the application's main class");
    }
    if (i >= args.size()) {
      throw new IllegalArgumentException("the application jar is missing after the options");
    }
    String jar = args.get(i);
    List<String> rest = new ArrayList<>(args.subList(i + 1, args.size()));
    conf.put("spark.master", master);
    conf.put("spark.submit.deployMode", mode);
    conf.putIfAbsent("spark.app.name", mainClass);
    return new SubmitArgs(master, mode, mainClass, jar, rest, conf, wait);
  }
}
