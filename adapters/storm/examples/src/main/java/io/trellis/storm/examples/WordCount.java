package io.trellis.storm.examples;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/**
 * A word count over fixed sentences whose counts end up in files:
 * {@code WordCount <name> <output-dir> [sentences=2000] [workers=2] [worker-mem-mb=384]}.
 * The counts of every word are in {@code <output-dir>/counts-*.txt}; the time of the first
 * acknowledged sentence in {@code <output-dir>/first-ack}.
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: WordCount <name> <output-dir> [sentences=2000] [workers=2] [worker-mem-mb=384]");
      System.exit(2);
    }
    String name = args[0];
    String dir = args[1];
    long sentences = args.length > 2 ? Long.parseLong(args[2]) : 2000;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int memMb = args.length > 4 ? Integer.parseInt(args[4]) : 384;
    StormSubmitter.submitTopology(name, config(workers, memMb), topology(dir, sentences));
  }

  /** The spout, a splitting bolt and a counting bolt writing to {@code dir}. */
  public static StormTopology topology(String dir, long sentences) {
    TopologyBuilder builder = new TopologyBuilder();
    builder.setSpout("sentences", new SentenceSpout(sentences, dir), 1);
    builder.setBolt("split", new SplitBolt(), 2).shuffleGrouping("sentences");
    builder.setBolt("count", new CountBolt(dir), 2).fieldsGrouping("split", new Fields("word"));
    return builder.createTopology();
  }

  /** Workers, each with {@code memMb} on Trellis. */
  public static Config config(int workers, int memMb) {
    Config conf = new Config();
    conf.setNumWorkers(workers);
    conf.setMaxSpoutPending(200);
    conf.setNumAckers(1);
    conf.put("topology.trellis.worker.mem.mb", memMb);
    conf.put("topology.trellis.worker.cpu", 0.5);
    return conf;
  }
}
