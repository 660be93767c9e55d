package io.trellis.spark;

import io.trellis.spark.cds.ClassArchive;
import io.trellis.spark.offer.Constraints;
import io.trellis.spark.offer.ExecutorGang;
import io.trellis.spark.offer.ExecutorSize;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * What the backend reads from the application's {@link SparkConf}: every {@code spark.trellis.*}
 * setting and the Spark settings that size executors.
 *
 * @param executorClassPath the executors' class path on the agents; by default
 *     {@code $TRELLIS_SPARK_LIB/*} when the driver has it, else {@code $SPARK_HOME/conf:$SPARK_HOME/jars/*}
 *     when it runs from a Spark distribution, else the driver's own class path (right when every
 *     agent has the same install at the same path as the driver)
 * @param executorUri an archive of jars fetched into each executor's sandbox, or {@code null}
 * @param dockerImage an image to run executors in, or {@code null}
 * @param classArchive the class-data archive executors start with (see {@link ClassArchive}), or
 *     {@code null}: set when executors run on the adapter's own class path and the archive exists
 * @param refuseSeconds how long declined offers stay away
 * @param executorStopTimeout how long a stopping application lets its executors exit by
 *     themselves before its teardown kills them
 * @param gang the executors asked as one gang ({@code spark.trellis.gang=true}), or {@code null}
 */
public record BackendSettings(MasterUrl master, String role, String frameworkName, String user,
    ExecutorSize executorSize, int maxCores, int initialExecutors, Constraints constraints,
    String java, String executorClassPath, String executorJavaOptions, String executorUri,
    String dockerImage, String classArchive, double refuseSeconds, double failoverTimeoutSeconds, int maxAgentFailures,
    Duration subscribeTimeout, Duration executorStopTimeout, ExecutorGang gang) {

  public static final String ROLE = "spark.trellis.role";
  public static final String CONSTRAINTS = "spark.trellis.constraints";
  public static final String EXECUTOR_JAVA = "spark.trellis.executor.java";
  public static final String EXECUTOR_CLASSPATH = "spark.trellis.executor.classpath";
  public static final String EXECUTOR_URI = "spark.trellis.executor.uri";
  public static final String DOCKER_IMAGE = "spark.trellis.executor.docker.image";
  public static final String REFUSE_SECONDS = "spark.trellis.rejectOfferDuration";
  public static final String FAILOVER_TIMEOUT = "spark.trellis.driver.failoverTimeout";
  public static final String MAX_AGENT_FAILURES = "spark.trellis.maxAgentFailures";
  public static final String SUBSCRIBE_TIMEOUT = "spark.trellis.subscribeTimeout";
  public static final String EXECUTOR_STOP_TIMEOUT = "spark.trellis.executor.stopTimeout";

  public static BackendSettings from(SparkConf conf, String masterUrl) {
    int cores = conf.getInt("spark.executor.cores", 1);
    long heap = conf.getSizeAsMb("spark.executor.memory", "1g");
    long overhead = conf.contains("spark.executor.memoryOverhead")
        ? conf.getSizeAsMb("spark.executor.memoryOverhead", "384m")
        : Math.max(384, (long) (conf.getDouble("spark.executor.memoryOverheadFactor", 0.1) * heap));
    int maxCores = conf.contains("spark.cores.max") ? conf.getInt("spark.cores.max", 0) : Integer.MAX_VALUE;
    if (maxCores < 1) {
      throw new IllegalArgumentException("spark.cores.max must be at least 1, not " + conf.get("spark.cores.max"));
    }
    boolean dynamic = conf.getBoolean("spark.dynamicAllocation.enabled", false);
    int initial;
    if (dynamic) {
      int min = conf.getInt("spark.dynamicAllocation.minExecutors", 0);
      initial = Math.max(min, conf.getInt("spark.dynamicAllocation.initialExecutors", min));
      initial = Math.max(initial, conf.getInt("spark.executor.instances", 0));
    } else {
      initial = conf.contains("spark.executor.instances")
          ? conf.getInt("spark.executor.instances", 0) : Integer.MAX_VALUE;
    }
    String lib = System.getenv("TRELLIS_SPARK_LIB");
    String defaultClassPath = defaultExecutorClassPath(lib, System.getenv("SPARK_HOME"));
    String name = conf.get("spark.app.name", "spark");
    String executorUri = emptyToNull(conf.get(EXECUTOR_URI, ""));
    String dockerImage = emptyToNull(conf.get(DOCKER_IMAGE, ""));
    String classArchive = null;
    if (lib != null && !lib.isBlank() && executorUri == null && dockerImage == null
        && !conf.contains(EXECUTOR_CLASSPATH) && conf.getBoolean(ClassArchive.ENABLED, true)) {
      classArchive = ClassArchive.existing(Path.of(lib)).map(Path::toString).orElse(null);
    }
    ExecutorGang gang = !conf.getBoolean(ExecutorGang.ENABLED, false) ? null : ExecutorGang.of(
        conf.contains("spark.executor.instances") ? conf.getInt("spark.executor.instances", 0) : null,
        maxCores, cores, dynamic, conf.getTimeAsSeconds(ExecutorGang.TIMEOUT, "900s"), conf.get(ExecutorGang.MODE, "SOFT"));
    return new BackendSettings(
        MasterUrl.parse(masterUrl),
        conf.get(ROLE, "spark"),
        name,
        System.getProperty("user.name"),
        new ExecutorSize(cores, (int) heap, (int) overhead),
        maxCores,
        initial,
        Constraints.parse(conf.get(CONSTRAINTS, "")),
        conf.get(EXECUTOR_JAVA, "java"),
        conf.get(EXECUTOR_CLASSPATH, defaultClassPath),
        conf.get("spark.executor.extraJavaOptions", ""),
        executorUri,
        dockerImage,
        classArchive,
        conf.getTimeAsSeconds(REFUSE_SECONDS, "120s"),
        conf.getTimeAsSeconds(FAILOVER_TIMEOUT, "30s"),
        conf.getInt(MAX_AGENT_FAILURES, 2),
        Duration.ofSeconds(conf.getTimeAsSeconds(SUBSCRIBE_TIMEOUT, "30s")),
        Duration.ofMillis(conf.getTimeAsMs(EXECUTOR_STOP_TIMEOUT, "5s")),
        gang);
  }

  /**
   * The executors' class path when {@link #EXECUTOR_CLASSPATH} is not set: the adapter's jars
   * ({@code $TRELLIS_SPARK_LIB/*}) for {@code trellis spark submit}; a Spark distribution's
   * {@code conf} and {@code jars/*}, as its launcher puts them, for a driver started by that
   * distribution's own {@code spark-submit}; else the driver's own class path.
   */
  static String defaultExecutorClassPath(String trellisSparkLib, String sparkHome) {
    if (trellisSparkLib != null && !trellisSparkLib.isBlank()) {
      return trellisSparkLib + File.separator + "*";
    }
    if (sparkHome != null && !sparkHome.isBlank() && new File(sparkHome, "jars").isDirectory()) {
      return sparkHome + File.separator + "conf" + File.pathSeparator + sparkHome + File.separator + "jars"
          + File.separator + "*";
    }
    return System.getProperty("java.class.path");
  }

  public List<String> roles() {
    return List.of(role);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
