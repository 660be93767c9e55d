package io.trellis.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Function1;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;

/** A job of one barrier stage: its tasks all run at once, meet at a barrier, and return their partition ids. */
final class BarrierApp {
  private BarrierApp() {}

  /** Runs a barrier stage of {@code tasks} tasks and returns how many met at the barrier. */
  static int run(JavaSparkContext sc, int tasks) {
    List<Integer> seeds = java.util.stream.IntStream.range(0, tasks).boxed().toList();
    Function1<Iterator<Integer>, Iterator<Integer>> meet = (Function1<Iterator<Integer>, Iterator<Integer>> & Serializable) it -> {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      ctx.barrier();
      return CollectionConverters.asScala(List.of(ctx.partitionId()).iterator());
    };
    Object collected = sc.parallelize(seeds, tasks).rdd().barrier()
        .mapPartitions(meet, false, ClassTag.apply(Integer.class)).collect();
    return java.lang.reflect.Array.getLength(collected);
  }
}
