package io.trellis.spark.examples;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Counts the words of a text file: {@code WordCount <input> [output-dir] [top-n]}. Prints the
 * number of distinct words and the {@code top-n} (default 10) most frequent as {@code word: count};
 * with an output directory, writes every {@code word<TAB>count} there too. The input must be
 * readable at the same path by the executors (a shared or copied file).
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: WordCount <input> [output-dir] [top-n]");
      System.exit(2);
    }
    SparkConf conf = new SparkConf().setAppName(new SparkConf().get("spark.app.name", "WordCount"));
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      JavaPairRDD<String, Long> counts = count(sc, args[0]);
      counts.cache();
      if (args.length > 1) {
        counts.map(t -> t._1() + "\t" + t._2()).saveAsTextFile(args[1]);
      }
      System.out.println("distinct words: " + counts.count());
      List<Tuple2<String, Long>> most = counts.takeOrdered(top, new ByCountThenWord());
      for (Tuple2<String, Long> t : most) {
        System.out.println(t._1() + ": " + t._2());
      }
    }
  }

  public static JavaPairRDD<String, Long> count(JavaSparkContext sc, String input) {
    return sc.textFile(input)
        .flatMap(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")).iterator())
        .filter(w -> !w.isEmpty())
        .mapToPair(w -> new Tuple2<>(w, 1L))
        .reduceByKey(Long::sum);
  }

  /** Most frequent first; ties in word order. Serializable: Spark ships it to executors. */
  static final class ByCountThenWord implements Comparator<Tuple2<String, Long>>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
      int c = Long.compare(b._2(), a._2());
      return c != 0 ? c : a._1().compareTo(b._1());
    }
  }
}
