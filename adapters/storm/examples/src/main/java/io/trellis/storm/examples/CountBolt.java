package io.trellis.storm.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.storm.Config;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;

/**
 * Counts words (each task sees its own words, by fields grouping) and keeps the counts in
 * {@code counts-<task index>.txt} of the output directory, one {@code word count} line each. The
 * file is written at most every 100 ms (and every second on a tick) and the tuples counted in it
 * are acknowledged only then; it is read back when the task starts again on another worker, so a
 * lost worker loses no count (a replayed tuple may count twice).
 */
public final class CountBolt extends BaseRichBolt {
  private static final long serialVersionUID = 1L;
  private final String outputDir;
  private transient OutputCollector collector;
  private transient Map<String, Long> counts;
  private transient Path file;
  private transient List<Tuple> pending;
  private transient long lastWrite;

  public CountBolt(String outputDir) {
    this.outputDir = outputDir;
  }

  @Override
  public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector collector) {
    this.collector = collector;
    this.counts = new TreeMap<>();
    this.pending = new ArrayList<>();
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
    if (!TupleUtils.isTick(input)) {
      counts.merge(input.getString(0), 1L, Long::sum);
      pending.add(input);
    }
    long now = System.currentTimeMillis();
    if (!pending.isEmpty() && (TupleUtils.isTick(input) || now - lastWrite >= 100 || pending.size() >= 1000)) {
      flush(now);
    }
  }

  /** Writes the counts, then acknowledges the tuples they include (or fails them all). */
  private void flush(long now) {
    StringBuilder text = new StringBuilder();
    counts.forEach((w, c) -> text.append(w).append(' ').append(c).append('\n'));
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      pending.forEach(collector::ack);
    } catch (IOException e) {
      collector.reportError(e);
      pending.forEach(collector::fail);
    }
    pending.clear();
    lastWrite = now;
  }

  @Override
  public Map<String, Object> getComponentConfiguration() {
    return Map.of(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
  }

  @Override
  public void declareOutputFields(OutputFieldsDeclarer declarer) {}
}
