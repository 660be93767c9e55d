package io.trellis.storm.cds;

import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;

/**
 * The training run of {@link StormClassArchive}: a supervisor, a worker, a spout and a bolt in
 * Storm's {@code LocalCluster} for a few seconds, so the archive holds the classes those load.
 */
public final class Training {
  private Training() {}

  public static void main(String[] args) throws Exception {
    TopologyBuilder b = new TopologyBuilder();
    b.setSpout("words", new TestWordSpout(), 1);
    b.setBolt("count", new TestWordCounter(), 1).shuffleGrouping("words");
    Config conf = new Config();
    conf.setNumWorkers(1);
    try (LocalCluster cluster = new LocalCluster()) {
      cluster.submitTopology("training", conf, b.createTopology());
      Thread.sleep(8000);
      cluster.killTopology("training");
    }
    System.exit(0);
  }
}
