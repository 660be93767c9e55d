package io.trellis.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark application for the tests that keeps its executors until the file {@code args[0]} exists. */
public final class HoldApp {
  private HoldApp() {}

  public static void main(String[] args) throws Exception {
    Path stop = Path.of(args[0]);
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf())) {
      System.out.println("started " + sc.sc().applicationId());
      while (!Files.exists(stop)) {
        Thread.sleep(200);
      }
    }
  }
}
