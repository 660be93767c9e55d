package io.trellis.hadoop.yarn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hadoop settings of the three kinds of process: the ResourceManager, a NodeManager and a
 * client ({@code core-site}, {@code yarn-site}, {@code mapred-site}). MapReduce's AM and tasks run
 * with the adapter's class path and JVM flags; the default filesystem is the one given (the local
 * filesystem on one machine, HDFS or an object store on many).
 */
public final class YarnConf {
  /** MapReduce container sizes that fit the small profile: an AM and a map task side by side. */
  static final int AM_MB = 512;
  static final int TASK_MB = 384;
  /** JVM options of the NodeManagers and of MapReduce's AM and tasks. */
  public static final String LIGHT_JVM = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  private YarnConf() {}

  /** Settings common to every process: where the RM is, the default filesystem, the class path. */
  public static Map<String, String> common(RmAddresses rm, String defaultFs, Path lib) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("fs.defaultFS", defaultFs);
    c.put("yarn.resourcemanager.hostname", rm.host());
    c.put("yarn.resourcemanager.address", rm.client());
    c.put("yarn.resourcemanager.scheduler.address", rm.scheduler());
    c.put("yarn.resourcemanager.resource-tracker.address", rm.tracker());
    c.put("yarn.resourcemanager.admin.address", rm.admin());
    c.put("yarn.resourcemanager.webapp.address", rm.web());
    c.put("yarn.resourcemanager.connect.retry-interval.ms", "1000");
    c.put("yarn.timeline-service.enabled", "false");
    String classPath = lib.toAbsolutePath() + "/*";
    c.put("yarn.application.classpath", classPath);
    c.put("mapreduce.application.classpath", classPath);
    return c;
  }

  /** What a client (and every MapReduce job it submits) needs, with the staging directory. */
  public static Map<String, String> client(RmAddresses rm, String defaultFs, Path lib, String stagingDir,
      List<String> jvmFlags) {
    Map<String, String> c = common(rm, defaultFs, lib);
    // Short-lived JVMs: one GC thread and the quick compiler leave the cores to the work.
    String flags = String.join(" ", jvmFlags) + " " + LIGHT_JVM;
    c.put("mapreduce.framework.name", "yarn");
    c.put("yarn.app.mapreduce.am.staging-dir", stagingDir);
    c.put("yarn.app.mapreduce.am.resource.mb", Integer.toString(AM_MB));
    c.put("yarn.app.mapreduce.am.command-opts", "-Xmx" + (AM_MB * 3 / 4) + "m " + flags);
    c.put("mapreduce.map.memory.mb", Integer.toString(TASK_MB));
    c.put("mapreduce.reduce.memory.mb", Integer.toString(TASK_MB));
    c.put("mapreduce.map.java.opts", "-Xmx" + (TASK_MB * 3 / 4) + "m " + flags);
    c.put("mapreduce.reduce.java.opts", "-Xmx" + (TASK_MB * 3 / 4) + "m " + flags);
    c.put("mapreduce.job.reduce.slowstart.completedmaps", "1.0");
    return c;
  }

  /** The ResourceManager: the capacity scheduler with one queue, quick decommission checks. */
  public static Map<String, String> resourceManager(RmAddresses rm, String defaultFs, Path lib) {
    Map<String, String> c = common(rm, defaultFs, lib);
    c.put("yarn.resourcemanager.bind-host", rm.host());
    c.put("yarn.resourcemanager.recovery.enabled", "false");
    c.put("yarn.scheduler.minimum-allocation-mb", "128");
    c.put("yarn.scheduler.capacity.root.queues", "default");
    c.put("yarn.scheduler.capacity.root.default.capacity", "100");
    c.put("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
    c.put("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
    c.put("yarn.scheduler.capacity.node-locality-delay", "-1");
    c.put("yarn.resourcemanager.decommissioning-nodes-watcher.poll-interval-secs", "1");
    c.put("yarn.nm.liveness-monitor.expiry-interval-ms", "60000");
    return c;
  }

  /**
   * One NodeManager: its ports from its offer, its directories in its sandbox, YARN's share of its
   * profile, and MapReduce's shuffle.
   */
  public static Map<String, String> nodeManager(RmAddresses rm, String defaultFs, Path lib, String host,
      List<Integer> ports, int memMb, int vcores) {
    Map<String, String> c = common(rm, defaultFs, lib);
    c.put("yarn.nodemanager.hostname", host);
    c.put("yarn.nodemanager.address", host + ":" + ports.get(0));
    c.put("yarn.nodemanager.localizer.address", host + ":" + ports.get(1));
    c.put("yarn.nodemanager.webapp.address", host + ":" + ports.get(2));
    c.put("mapreduce.shuffle.port", Integer.toString(ports.get(3)));
    c.put("yarn.nodemanager.resource.memory-mb", Integer.toString(memMb));
    c.put("yarn.nodemanager.resource.cpu-vcores", Integer.toString(vcores));
    c.put("yarn.nodemanager.aux-services", "mapreduce_shuffle");
    c.put("yarn.nodemanager.aux-services.mapreduce_shuffle.class", "org.apache.hadoop.mapred.ShuffleHandler");
    c.put("yarn.nodemanager.vmem-check-enabled", "false");
    c.put("yarn.nodemanager.pmem-check-enabled", "false");
    c.put("yarn.nodemanager.recovery.enabled", "false");
    c.put("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100");
    c.put("yarn.nodemanager.delete.debug-delay-sec", "0");
    c.put("yarn.nodemanager.env-whitelist",
        "JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,HADOOP_YARN_HOME,HADOOP_MAPRED_HOME,PATH,LANG,TZ");
    return c;
  }

  /** Splits client settings into the files stock clients read: core-site, yarn-site, mapred-site. */
  public static Map<String, Map<String, String>> byFile(Map<String, String> settings) {
    Map<String, Map<String, String>> files = new LinkedHashMap<>();
    for (String f : List.of("core-site.xml", "yarn-site.xml", "mapred-site.xml")) {
      files.put(f, new LinkedHashMap<>());
    }
    settings.forEach((k, v) -> {
      String file = k.startsWith("mapreduce.") || k.startsWith("yarn.app.mapreduce.") ? "mapred-site.xml"
          : k.startsWith("yarn.") ? "yarn-site.xml" : "core-site.xml";
      files.get(file).put(k, v);
    });
    return files;
  }
}
