package io.trellis.storm.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;

/**
 * Counts words (each task sees its own words, by fields grouping) and keeps the counts in
 * {@code counts-<task index>.txt} of the output directory, one {@code word count} line each. The
 * file is written before a tuple is acknowledged, and read back when the task starts again on
 * another worker, so a lost worker loses no count (a replayed tuple may count twice).
 */
public final class CountBolt extends BaseRichBolt {
  private static final long serialVersionUID = 1L;
  private final String outputDir;
  private transient OutputCollector collector;
  private transient Map<String, Long> counts;
  private transient Path file;

  public CountBolt(String outputDir) {
    this.outputDir = outputDir;
  }

  @Override
  public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector collector) {
    this.collector = collector;
    this.counts = new TreeMap<>();
    Path dir = Path.of(outputDir);
    this.file = dir.resolve("counts-" + context.getThisTaskIndex() + ".txt");
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          String[] kv = line.split(" ");
          if (kv.length == 2) {
            counts.put(kv[0], Long.parseLong(kv[1]));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public void execute(Tuple input) {
    counts.merge(input.getString(0), 1L, Long::sum);
    StringBuilder text = new StringBuilder();
    counts.forEach((w, c) -> text.append(w).append(' ').append(c).append('\n'));
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      collector.reportError(e);
      collector.fail(input);
      return;
    }
    collector.ack(input);
  }

  @Override
  public void declareOutputFields(OutputFieldsDeclarer declarer) {}
}
