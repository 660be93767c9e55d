package io.trellis.storm.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.TopologySummary;

/**
 * The word count in Storm's {@code LocalCluster} (one JVM), timed as the benchmark times it on
 * Trellis: {@code LocalClusterBench <output-dir> <sentences> <workers>} prints
 * {@code localcluster start_ms=.. first_ack_ms=.. all_workers_ms=..}, both from the submit.
 */
public final class LocalClusterBench {
  private LocalClusterBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long sentences = Long.parseLong(args[1]);
    int workers = Integer.parseInt(args[2]);
    long t0 = System.currentTimeMillis();
    try (LocalCluster cluster = new LocalCluster()) {
      long started = System.currentTimeMillis();
      cluster.submitTopology("bench", WordCount.config(workers, 256), WordCount.topology(dir.toString(), sentences));
      long allWorkers = -1;
      long firstAck = -1;
      long deadline = started + 300_000;
      while ((allWorkers < 0 || firstAck < 0) && System.currentTimeMillis() < deadline) {
        if (allWorkers < 0) {
          for (TopologySummary t : cluster.getClusterInfo().get_topologies()) {
            if (t.get_num_workers() >= workers) {
              allWorkers = System.currentTimeMillis() - started;
            }
          }
        }
        Path ack = dir.resolve("first-ack");
        if (firstAck < 0 && Files.exists(ack)) {
          firstAck = Long.parseLong(Files.readString(ack).trim()) - started;
        }
        Thread.sleep(20);
      }
      System.out.println("localcluster start_ms=" + (started - t0) + " first_ack_ms=" + firstAck
          + " all_workers_ms=" + allWorkers);
      cluster.killTopology("bench");
    }
    System.exit(0);
  }
}
