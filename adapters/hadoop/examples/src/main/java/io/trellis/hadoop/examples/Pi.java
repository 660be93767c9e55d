package io.trellis.hadoop.examples;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * Estimates pi by the Monte Carlo method: {@code Pi <maps> <samplesPerMap> [workDir]}. Each map
 * throws its samples at the unit square (a Halton sequence, so runs are repeatable) and counts
 * those inside the quarter circle; one reducer adds the counts.
 */
public final class Pi extends Configured implements Tool {
  /** Input: (offset, samples) for one map. Output: (inside, outside) under the null key. */
  public static final class Darts extends Mapper<LongWritable, LongWritable, NullWritable, LongWritable> {
    @Override
    protected void map(LongWritable offset, LongWritable samples, Context context)
        throws IOException, InterruptedException {
      long inside = 0;
      for (long i = 0; i < samples.get(); i++) {
        double x = halton(offset.get() + i + 1, 2) - 0.5;
        double y = halton(offset.get() + i + 1, 3) - 0.5;
        if (x * x + y * y <= 0.25) {
          inside++;
        }
      }
      context.write(NullWritable.get(), new LongWritable(inside));
      context.write(NullWritable.get(), new LongWritable(-(samples.get() - inside)));
    }

    static double halton(long index, int base) {
      double f = 1;
      double r = 0;
      long i = index;
      while (i > 0) {
        f /= base;
        r += f * (i % base);
        i /= base;
      }
      return r;
    }
  }

  public static final class Total extends Reducer<NullWritable, LongWritable, LongWritable, LongWritable> {
    @Override
    protected void reduce(NullWritable key, Iterable<LongWritable> counts, Context context)
        throws IOException, InterruptedException {
      long inside = 0;
      long outside = 0;
      for (LongWritable c : counts) {
        if (c.get() >= 0) {
          inside += c.get();
        } else {
          outside -= c.get();
        }
      }
      context.write(new LongWritable(inside), new LongWritable(outside));
    }
  }

  @Override
  public int run(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: Pi [-D key=value] <maps> <samplesPerMap> [workDir]");
      return 2;
    }
    int maps = Integer.parseInt(args[0]);
    long samples = Long.parseLong(args[1]);
    if (maps < 1 || maps > 10_000 || samples < 1) {
      System.err.println("Pi: maps must be 1..10000 and samplesPerMap at least 1");
      return 2;
    }
    Path dir = new Path(args.length == 3 ? args[2] : "pi-" + System.currentTimeMillis());
    FileSystem fs = dir.getFileSystem(getConf());
    Path in = new Path(dir, "in");
    Path out = new Path(dir, "out");
    for (int i = 0; i < maps; i++) {
      try (SequenceFile.Writer w = SequenceFile.createWriter(getConf(), SequenceFile.Writer.file(new Path(in, "part" + i)),
          SequenceFile.Writer.keyClass(LongWritable.class), SequenceFile.Writer.valueClass(LongWritable.class))) {
        w.append(new LongWritable(i * samples), new LongWritable(samples));
      }
    }
    Job job = Job.getInstance(getConf(), "pi");
    job.setJarByClass(Pi.class);
    job.setInputFormatClass(SequenceFileInputFormat.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    job.setMapperClass(Darts.class);
    job.setReducerClass(Total.class);
    job.setMapOutputKeyClass(NullWritable.class);
    job.setMapOutputValueClass(LongWritable.class);
    job.setOutputKeyClass(LongWritable.class);
    job.setOutputValueClass(LongWritable.class);
    job.setNumReduceTasks(1);
    SequenceFileInputFormat.addInputPath(job, in);
    SequenceFileOutputFormat.setOutputPath(job, out);
    if (!job.waitForCompletion(true)) {
      return 1;
    }
    LongWritable inside = new LongWritable();
    LongWritable outside = new LongWritable();
    try (SequenceFile.Reader r = new SequenceFile.Reader(getConf(), SequenceFile.Reader.file(new Path(out, "part-r-00000")))) {
      r.next(inside, outside);
    }
    BigDecimal pi = BigDecimal.valueOf(4).multiply(BigDecimal.valueOf(inside.get()))
        .divide(BigDecimal.valueOf(inside.get() + outside.get()), MathContext.DECIMAL64);
    System.out.println("Pi is roughly " + pi);
    fs.delete(dir, true);
    return 0;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(new Pi(), args));
  }
}
