package io.trellis.spark.examples;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import scala.Tuple2;

/**
 * A fixed Spark job for comparing cluster managers: the pi estimate over {@code args[0]} slices
 * and a shuffle (a count by key over {@code args[1]} million generated records). Prints the
 * result and the times, in milliseconds, from {@code spark.bench.submitMillis} (when the
 * submission started; else this JVM's start) to the driver's context being ready, to the first
 * executor registered and to the end, and the time of the job itself.
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int millions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    SparkConf conf = new SparkConf().setAppName(new SparkConf().get("spark.app.name", "Benchmark"));
    long submit = conf.getLong("spark.bench.submitMillis", ManagementFactory.getRuntimeMXBean().getStartTime());
    conf.set("spark.extraListeners", FirstExecutor.class.getName());
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      boolean local = sc.master().startsWith("local");
      long jobStart = System.currentTimeMillis();
      long contextReady = jobStart - submit;
      double pi = SparkPi.estimate(sc, slices);
      List<Integer> parts = new ArrayList<>();
      for (int i = 0; i < slices; i++) {
        parts.add(i);
      }
      long perPart = millions * 1_000_000L / slices;
      long groups = sc.parallelize(parts, slices)
          .flatMapToPair(p -> {
            List<Tuple2<Long, Long>> out = new ArrayList<>();
            for (long i = 0; i < perPart; i++) {
              out.add(new Tuple2<>((p * perPart + i) % 10_007, 1L));
            }
            return out.iterator();
          })
          .reduceByKey(Long::sum, Math.max(2, slices / 10))
          .count();
      long end = System.currentTimeMillis();
      System.out.println("Pi is roughly " + pi);
      System.out.println("groups: " + groups);
      System.out.println("bench.job_ms " + (end - jobStart));
      System.out.println("bench.total_ms " + (end - submit));
      System.out.println("bench.context_ms " + contextReady);
      System.out.println("bench.first_executor_ms " + (local ? "n/a (local mode runs in the driver)"
          : Long.toString(FIRST.getNow(end) - submit)));
    }
    System.out.println("bench.stopped_ms " + (System.currentTimeMillis() - submit));
  }

  private static final CompletableFuture<Long> FIRST = new CompletableFuture<>();

  /** Registered before the context starts, so no executor registration is missed. */
  public static final class FirstExecutor extends SparkListener {
    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
      FIRST.complete(added.time());
    }
  }
}
