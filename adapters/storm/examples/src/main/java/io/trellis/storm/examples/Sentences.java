package io.trellis.storm.examples;

import java.util.Map;
import java.util.TreeMap;

/** The word count's fixed input, and the counts it must produce (plain Java, no Storm class). */
public final class Sentences {
  private static final String[] SENTENCES = {
    "the cow jumped over the moon",
    "an apple a day keeps the doctor away",
    "four score and seven years ago",
    "snow white and the seven dwarfs",
    "i am at two with nature",
  };

  private Sentences() {}

  /** The {@code i}-th sentence the spout emits. */
  public static String sentence(long i) {
    return SENTENCES[(int) (i % SENTENCES.length)];
  }

  /** Every word's count after the first {@code total} sentences. */
  public static Map<String, Long> expectedCounts(long total) {
    Map<String, Long> counts = new TreeMap<>();
    for (long i = 0; i < total; i++) {
      for (String w : sentence(i).split(" ")) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return counts;
  }
}
