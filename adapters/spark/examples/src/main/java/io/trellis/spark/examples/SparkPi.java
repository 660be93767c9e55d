package io.trellis.spark.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Monte Carlo estimate of pi: throws darts at the unit square in parallel and counts those in
 * the quarter circle. Argument: the number of slices (default 2), 100,000 darts each.
 */
public final class SparkPi {
  private static final int DARTS_PER_SLICE = 100_000;

  private SparkPi() {}

  public static void main(String[] args) {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    SparkConf conf = new SparkConf().setAppName(new SparkConf().get("spark.app.name", "SparkPi"));
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      System.out.println("Pi is roughly " + estimate(sc, slices));
    }
  }

  /** Runs the estimate as a Spark job over {@code slices} partitions. */
  public static double estimate(JavaSparkContext sc, int slices) {
    List<Integer> seeds = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      seeds.add(i);
    }
    long inside = sc.parallelize(seeds, slices).map(SparkPi::throwDarts).reduce(Long::sum);
    return 4.0 * inside / ((long) slices * DARTS_PER_SLICE);
  }

  private static long throwDarts(int seed) {
    SplittableRandom random = new SplittableRandom(seed * 7919L + 17);
    long inside = 0;
    for (int i = 0; i < DARTS_PER_SLICE; i++) {
      double x = random.nextDouble() * 2 - 1;
      double y = random.nextDouble() * 2 - 1;
      if (x * x + y * y <= 1) {
        inside++;
      }
    }
    return inside;
  }
}
