package io.trellis.hadoop.bench;

import io.trellis.hadoop.yarn.RmAddresses;
import io.trellis.hadoop.yarn.YarnConf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.util.resource.ResourceUtils;

/**
 * The benchmark's reference run: the same word count on a {@link MiniYARNCluster} with the same
 * number of NodeManagers, the same memory each and the same MapReduce settings as on Trellis.
 * Usage: {@code MiniYarnWordCount <nodeManagers> <nmMemMb> <lib> <examplesJar> <input> <output> <workDir>};
 * prints {@code minicluster-start-ms} and {@code minicluster-wordcount-ms}.
 */
public final class MiniYarnWordCount {
  private MiniYarnWordCount() {}

  public static void main(String[] args) throws Throwable {
    int nms = Integer.parseInt(args[0]);
    int memMb = Integer.parseInt(args[1]);
    Path lib = Path.of(args[2]);
    YarnConfiguration conf = new YarnConfiguration();
    Map<String, String> rm = YarnConf.resourceManager(new RmAddresses("127.0.0.1", 1, 1, 1, 1, 1), "file:///", lib);
    rm.keySet().removeIf(k -> k.startsWith("yarn.resourcemanager.") && k.endsWith("address")
        || k.equals("yarn.resourcemanager.hostname") || k.equals("yarn.resourcemanager.bind-host"));
    rm.forEach(conf::set);
    conf.set("yarn.nodemanager.resource.memory-mb", Integer.toString(memMb));
    conf.set("yarn.nodemanager.resource.cpu-vcores", "2");
    conf.set("yarn.nodemanager.aux-services", "mapreduce_shuffle");
    conf.set("yarn.nodemanager.aux-services.mapreduce_shuffle.class", "org.apache.hadoop.mapred.ShuffleHandler");
    conf.set("mapreduce.shuffle.port", "0");
    conf.set("yarn.nodemanager.vmem-check-enabled", "false");
    conf.set("yarn.nodemanager.pmem-check-enabled", "false");
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100");
    conf.set("yarn.minicluster.fixed.ports", "false");
    ResourceUtils.resetResourceTypes(conf);
    long t0 = System.nanoTime();
    MiniYARNCluster cluster = new MiniYARNCluster("bench", nms, 1, 1);
    cluster.init(conf);
    cluster.start();
    while (cluster.getResourceManager().getRMContext().getRMNodes().size() < nms) {
      Thread.sleep(100);
    }
    System.out.println("minicluster-start-ms " + (System.nanoTime() - t0) / 1_000_000);
    Configuration client = new Configuration(cluster.getConfig());
    YarnConf.client(new RmAddresses("127.0.0.1", 1, 1, 1, 1, 1), "file:///", lib, args[6], List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"))
        .forEach((k, v) -> {
          if (!k.startsWith("yarn.resourcemanager.")) {
            client.set(k, v);
          }
        });
    // RunJar reads the configuration from the class path: hand it this one through the site files
    // (each: mapred-default.xml, read after core-site.xml, would undo mapreduce.framework.name).
    java.io.File site = new java.io.File(args[6], "conf");
    site.mkdirs();
    for (String file : List.of("core-site.xml", "yarn-site.xml", "mapred-site.xml")) {
      try (java.io.FileOutputStream out = new java.io.FileOutputStream(new java.io.File(site, file))) {
        client.writeXml(out);
      }
    }
    long t1 = System.nanoTime();
    int code = runJob(site, args[3], args[4], args[5]);
    System.out.println("minicluster-wordcount-ms " + (System.nanoTime() - t1) / 1_000_000 + " exit " + code);
    cluster.stop();
    System.exit(code);
  }

  private static int runJob(java.io.File site, String jar, String in, String out) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", site.getAbsolutePath() + ":" + System.getProperty("java.class.path"),
        RunJar.class.getName(), jar, "io.trellis.hadoop.examples.WordCount", in, out);
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }
}
