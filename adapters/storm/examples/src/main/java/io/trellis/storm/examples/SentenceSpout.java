package io.trellis.storm.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Values;

/**
 * Emits {@code total} fixed sentences, each reliably (a failed one is emitted again), and notes
 * the time of the first acknowledged one in {@code first-ack} of the output directory.
 */
public final class SentenceSpout extends BaseRichSpout {
  private static final long serialVersionUID = 1L;
  private final long total;
  private final String outputDir;
  private transient SpoutOutputCollector collector;
  private transient Deque<Long> retries;
  private transient long next;
  private transient boolean acked;

  public SentenceSpout(long total, String outputDir) {
    this.total = total;
    this.outputDir = outputDir;
  }

  @Override
  public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
    this.collector = collector;
    this.retries = new ArrayDeque<>();
  }

  @Override
  public void nextTuple() {
    Long id = retries.poll();
    if (id == null && next < total) {
      id = next++;
    }
    if (id == null) {
      return;
    }
    collector.emit(new Values(Sentences.sentence(id)), id);
  }

  @Override
  public void ack(Object msgId) {
    if (!acked) {
      acked = true;
      try {
        Path dir = Path.of(outputDir);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(".first-ack.tmp");
        Files.writeString(tmp, Long.toString(System.currentTimeMillis()));
        Files.move(tmp, dir.resolve("first-ack"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + outputDir + "/first-ack", e);
      }
    }
  }

  @Override
  public void fail(Object msgId) {
    retries.add((Long) msgId);
  }

  @Override
  public void declareOutputFields(OutputFieldsDeclarer declarer) {
    declarer.declare(new Fields("sentence"));
  }
}
