package io.trellis.spark.cds;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The workload whose classes go into the {@link ClassArchive}: a small local Spark job with a
 * shuffle, which loads what drivers and executors share (Scala, Spark's core, its RPC, Netty,
 * serializers, logging), plus the classes only a separate executor JVM uses.
 */
public final class Training {
  /** Executor-side classes a local job does not load. */
  static final List<String> EXECUTOR_CLASSES = List.of(
      "org.apache.spark.executor.CoarseGrainedExecutorBackend",
      "org.apache.spark.executor.CoarseGrainedExecutorBackend$",
      "org.apache.spark.executor.CoarseGrainedExecutorBackend$Arguments",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$RegisterExecutor",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$RegisteredExecutor$",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$LaunchTask",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$StatusUpdate",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$RetrieveSparkAppConfig",
      "org.apache.spark.scheduler.cluster.CoarseGrainedClusterMessages$SparkAppConfig",
      "org.apache.spark.network.netty.NettyBlockTransferService",
      "org.apache.spark.rpc.netty.NettyRpcEnvFactory",
      "io.trellis.spark.TrellisSchedulerBackend",
      "io.trellis.spark.TrellisClusterManager");

  private Training() {}

  public static void main(String[] args) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("class-data training");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      List<Integer> xs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        xs.add(i);
      }
      long sum = sc.parallelize(xs, 4).map(x -> x * 2L).reduce(Long::sum);
      long groups = sc.parallelize(xs, 4).mapToPair(x -> new Tuple2<>(x % 97, 1L))
          .reduceByKey(Long::sum, 2).count();
      if (sum != 99_990_000L || groups != 97) {
        throw new IllegalStateException("training job computed " + sum + " and " + groups);
      }
    }
    for (String name : EXECUTOR_CLASSES) {
      try {
        Class.forName(name, false, Training.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // A class that moved in another Spark version: the archive holds the rest.
      }
    }
    // Spark leaves non-daemon threads behind; the archive is written as the JVM exits.
    System.exit(0);
  }
}
