package io.trellis.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark application for the tests: a Monte Carlo estimate of pi over {@code args[0]} slices. */
public final class PiApp {
  private PiApp() {}

  public static void main(String[] args) {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
      System.out.println("Pi is roughly " + estimate(sc, slices, 0));
    }
  }

  /** Each slice throws 200,000 darts and first sleeps {@code sleepMillis}, to keep executors busy. */
  static double estimate(JavaSparkContext sc, int slices, long sleepMillis) {
    List<Integer> seeds = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      seeds.add(i);
    }
    long inside = sc.parallelize(seeds, slices).map(seed -> {
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      SplittableRandom r = new SplittableRandom(seed * 31L + 7);
      long in = 0;
      for (int i = 0; i < 200_000; i++) {
        double x = r.nextDouble() * 2 - 1;
        double y = r.nextDouble() * 2 - 1;
        in += x * x + y * y <= 1 ? 1 : 0;
      }
      return in;
    }).reduce(Long::sum);
    return 4.0 * inside / (slices * 200_000.0);
  }
}
